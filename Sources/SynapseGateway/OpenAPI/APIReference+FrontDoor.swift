import HTTPTypes
import SynapseCore

/// The answers the gateway's front door (`RequestGate`, `CrossSitePolicy`, `ConnectionGuard`)
/// gives before any route runs, added to the operations they can reach.
extension APIReference {
    /// The operation with the answers the gateway's front door (`RequestGate`, `ConnectionGuard`)
    /// may give before any route runs, where they apply and the operation does not already
    /// document that status.
    static func withFrontDoorAnswers(_ operation: APIOperation) -> APIOperation {
        var operation = operation
        var answers: [APIResponse] = []
        if !RequestGate.alwaysOpen.contains(operation.path) && !RequestGate.isAdmin(operation.path) { answers.append(FrontDoor.clientKeyRequired) }
        if CrossSitePolicy.stateChanging.contains(operation.method) { answers.append(FrontDoor.crossOriginRefused) }
        answers += [FrontDoor.requestTimeout, FrontDoor.headersTooLarge]
        for answer in answers where !operation.responses.contains(where: { $0.status == answer.status }) {
            operation.responses.append(answer)
        }
        operation.responses.sort { $0.status < $1.status }
        return operation
    }

    /// The front door's answers, shared by the operations through `components/responses`.
    enum FrontDoor {
        static let clientKeyRequired = APIResponse.error(
            401, "A client key is required (gateway.apiKeys): Authorization: Bearer <key> or X-API-Key", example: RequestGate.unauthorized()
        )
        .with(header: "WWW-Authenticate", "Bearer").shared(as: "ClientKeyRequired")
        static let crossOriginRefused = APIResponse.error(
            403, "A state-changing request from an origin not in gateway.corsAllowedOrigins",
            example: CrossSitePolicy.refused("Cross-site POST from https://elsewhere.example refused; allow it in gateway.corsAllowedOrigins")
        )
        .shared(as: "CrossOriginRefused")
        static let requestTimeout = APIResponse.error(
            408, "The request head or body arrived too slowly", example: .clientTooSlow("Request head not received within 10s")
        ).shared(as: "RequestTimeout")
        static let headersTooLarge = APIResponse.error(
            431, "Request headers over gateway.maxHeaderBytes or maxHeaderCount", example: .headersTooLarge(maxBytes: 16384, maxCount: 100)
        ).shared(as: "HeadersTooLarge")
    }
}

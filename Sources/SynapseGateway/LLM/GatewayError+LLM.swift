import HTTPTypes
import SynapseCore

/// The errors of the LLM and `/models*` routes: FastAPI's `{"detail": "…"}` bodies with the
/// original's status codes and messages, so its clients (and the dashboard) read them unchanged.
extension GatewayError {
    /// A `{"detail": message}` error with a stable `code` for logs and metrics.
    static func detail(_ status: HTTPResponse.Status, _ message: String, code: String, backend: BackendID? = nil) -> GatewayError {
        var error = GatewayError(
            status: status, code: code, type: status.code < 500 ? "invalid_request_error" : "server_error",
            message: message, backend: backend)
        error.bodyStyle = .detail
        return error
    }

    /// 400 for a body the route cannot use (`Request body is required`, `Invalid JSON body: …`).
    static func badLLMRequest(_ message: String) -> GatewayError {
        .detail(.badRequest, message, code: "invalid_request")
    }

    /// 503 when the config has no backend of that name (the original's wording).
    static func backendNotConfigured(_ backend: BackendID) -> GatewayError {
        .detail(.serviceUnavailable, "Backend '\(backend)' is not configured", code: "backend_not_configured", backend: backend)
    }

    /// 400: the router does not list the model a chat asked for.
    static func modelNotAvailable(_ model: String, router: BackendID) -> GatewayError {
        .detail(.badRequest, "Model '\(model)' is not available in \(router) /models", code: "model_not_available", backend: router)
    }

    /// 404 on the profile and schema routes for a model the router does not list.
    static func modelNotFound(_ model: String) -> GatewayError {
        .detail(.notFound, "Model '\(model)' not found", code: "model_not_found")
    }

    /// 502: the router reported that the load crashed.
    static func modelLoadFailed(_ model: String, router: BackendID) -> GatewayError {
        .detail(.badGateway, "\(router) reported failed load for '\(model)'", code: "model_load_failed", backend: router)
    }

    /// 502: the router refused the load request.
    static func modelLoadRefused(_ model: String, status: Int, router: BackendID) -> GatewayError {
        .detail(.badGateway, "\(router) failed to load '\(model)' (status \(status))", code: "model_load_failed", backend: router)
    }

    /// 504: the model was not loaded in time.
    static func modelLoadTimeout(_ model: String, router: BackendID) -> GatewayError {
        .detail(.gatewayTimeout, "Timed out waiting for model '\(model)' to load", code: "model_load_timeout", backend: router)
    }

    /// 502: the router's model list could not be had or read.
    static func modelListFailed(_ message: String, router: BackendID) -> GatewayError {
        .detail(.badGateway, message, code: "model_list_failed", backend: router)
    }

    /// 404 for any other path under `/models`, as FastAPI answers it.
    static var detailNotFound: GatewayError { .detail(.notFound, "Not Found", code: "not_found") }

    /// 405 for a known `/models*` path with another method, as FastAPI answers it.
    static func detailMethodNotAllowed(allowed: [HTTPRequest.Method]) -> GatewayError {
        var error = GatewayError.detail(.methodNotAllowed, "Method Not Allowed", code: "method_not_allowed")
        error.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return error
    }
}

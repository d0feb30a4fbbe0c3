import ArgumentParser
import Foundation
import SynapseGateway

/// `synapse openapi [--development] [--output FILE]`: the gateway's OpenAPI 3.1 document, as `/openapi.json`
/// serves it, without starting anything (for offline imports and `scripts/openapi-check.sh`).
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the gateway's OpenAPI 3.1 document (as /openapi.json serves it).")

    @Option(help: "Write it to this file instead of standard output.") var output: String?
    @Flag(help: "synapse dev's document: also the /dev/mocks… routes only it serves.") var development = false

    func run() throws {
        let document = OpenAPIDocument.json(development: development)
        if let output {
            try document.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(document)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}

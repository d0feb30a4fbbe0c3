import ArgumentParser
import Foundation
import SynapseGateway

/// `synapse openapi [--output FILE]`: the gateway's OpenAPI 3.1 document, as `/openapi.json`
/// serves it, without starting anything (for offline imports and `scripts/openapi-check.sh`).
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the gateway's OpenAPI 3.1 document (as /openapi.json serves it).")

    @Option(help: "Write it to this file instead of standard output.") var output: String?

    func run() throws {
        if let output {
            try OpenAPIDocument.json.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(OpenAPIDocument.json)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}

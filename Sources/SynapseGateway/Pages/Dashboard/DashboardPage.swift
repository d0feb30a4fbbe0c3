/// The dashboard served at `/`, `/ui` and `/dashboard`: one page, assembled here from its parts
/// (`DashboardShell`, `DashboardStyle`, `DashboardScript`), with nothing loaded from elsewhere —
/// no external scripts, fonts or images — so it works inside a cluster with no internet.
///
/// What it shows: each backend's health, probe latency, breaker state and counters, updated live
/// from `GET /events`; the event stream with filters; the router's models with load and unload;
/// the voice library; playgrounds for chat, embeddings, TTS, STT and audio; and, in `synapse dev`
/// (`devHTML`), a fault panel over `/dev/mocks` (`MockControlProxy`).
enum DashboardPage {
    static let html = page(dev: false)
    static let devHTML = page(dev: true)

    static func page(dev: Bool) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Synapse Gateway</title>
        <link rel="icon" href="data:,">
        <style>
        \(DashboardStyle.css)
        </style>
        </head>
        <body data-dev="\(dev ? "true" : "false")">
        \(DashboardShell.body)
        <script>
        "use strict";
        \(DashboardScript.core)
        \(DashboardScript.feed)
        \(DashboardScript.backends)
        \(DashboardScript.faults)
        \(DashboardScript.models)
        \(DashboardScript.voices)
        \(DashboardScript.playgrounds)
        start();
        </script>
        </body>
        </html>
        """
    }
}

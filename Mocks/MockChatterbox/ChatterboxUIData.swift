import SynapseCore

/// The static parts of `GET /api/ui/initial-data`: the server's `config.yaml` as loaded and the
/// UI presets, with the values the captured server reported (device aside, see `Configuration`).
enum ChatterboxUIData {
    /// The `config` tree; `device` is the configured one.
    static func config(device: String, maximumReferenceDuration: Int) -> JSONValue {
        .object([
            (
                "server",
                .object([
                    ("host", .string("0.0.0.0")),
                    ("port", .int(8004)),
                    ("use_ngrok", .bool(false)),
                    ("use_auth", .bool(false)),
                    ("auth_username", .string("user")),
                    ("auth_password", .string("password")),
                    ("log_file_path", .string("logs/tts_server.log")),
                    ("log_file_max_size_mb", .int(10)),
                    ("log_file_backup_count", .int(5)),
                    ("ssl_certfile", .null),
                    ("ssl_keyfile", .null),
                ])
            ),
            (
                "model",
                .object([
                    ("repo_id", .string("chatterbox-turbo"))
                ])
            ),
            (
                "tts_engine",
                .object([
                    ("device", .string(device)),
                    ("predefined_voices_path", .string("voices")),
                    ("reference_audio_path", .string("reference_audio")),
                    ("default_voice_id", .string("Emily.wav")),
                ])
            ),
            (
                "paths",
                .object([
                    ("model_cache", .string("model_cache")),
                    ("output", .string("outputs")),
                ])
            ),
            (
                "generation_defaults",
                .object([
                    ("temperature", .double(0.8)),
                    ("exaggeration", .double(1.3)),
                    ("cfg_weight", .double(0.5)),
                    ("seed", .int(0)),
                    ("speed_factor", .double(1.0)),
                    ("language", .string("en")),
                ])
            ),
            (
                "audio_output",
                .object([
                    ("format", .string("wav")),
                    ("sample_rate", .int(24000)),
                    ("max_reference_duration_sec", .int(maximumReferenceDuration)),
                    ("save_to_disk", .bool(false)),
                ])
            ),
            (
                "ui_state",
                .object([
                    (
                        "last_text",
                        .string(
                            "[gasp] Okay, we have fifteen minutes left! Fifteen minutes! [groan] How have we been in here for forty-five minutes and only solved two puzzles?! [clear throat] Let's think logically. [sniff] This room smells like fear and bad decisions. [cough] And also someone's very strong cologne, Kevin. [sigh] Okay, the clue says \"the answer lies where time stands still.\" [chuckle] Great, very helpful, very straightforward. [shush] Everyone stop talking for one second! [gasp] Wait, the clock on the wall! It's stuck at three fifteen! [laugh] That's it! That has to be it! [groan] It's not the combination. Of course it's not the combination. [sniff] Why would anything in this room be logical? [sigh] Has anyone checked under the carpet? [gasp] There's a hidden compartment! [chuckle] Kevin, you're standing on a clue! Classic Kevin! [clear throat] Okay, it's another riddle. \"What has keys but no locks, space but no room, and you can enter but can't go inside?\" [groan] Who writes these things?! [cough] A keyboard! It's a keyboard! [laugh] There's a keyboard painted on the wall! [gasp] Eight minutes! We have eight minutes! [sigh] If we don't escape this room, we're never speaking of this again. [shush] Focus, everyone! [chuckle] We're so close I can taste freedom! [sniff] That or more of Kevin's cologne!\n"
                        )
                    ),
                    ("last_voice_mode", .string("predefined")),
                    ("last_predefined_voice", .string("Emily.wav")),
                    ("last_reference_file", .string("Gianna.wav")),
                    ("last_seed", .int(3000)),
                    ("last_chunk_size", .int(240)),
                    ("last_split_text_enabled", .bool(true)),
                    ("hide_chunk_warning", .bool(false)),
                    ("hide_generation_warning", .bool(false)),
                    ("theme", .string("light")),
                    ("last_preset_name", .string("⚡ Turbo: Escape Room Panic")),
                ])
            ),
            (
                "ui",
                .object([
                    ("title", .string("Chatterbox TTS Server")),
                    ("show_language_select", .bool(true)),
                    ("max_predefined_voices_in_dropdown", .int(50)),
                ])
            ),
            (
                "debug",
                .object([
                    ("save_intermediate_audio", .bool(false))
                ])
            ),
        ])
    }

    /// `presets`: names and generation parameters of `ui/presets.yaml` (texts shortened).
    static let presets: JSONValue = .array([
        preset(
            "⚡ Turbo: Tech Support Meltdown", text: "A sample script for the preset \"Turbo: Tech Support Meltdown\".", temperature: 0.85, exaggeration: 1.2,
            cfgWeight: 0.55, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: The Overly Dramatic Chef", text: "A sample script for the preset \"Turbo: The Overly Dramatic Chef\".", temperature: 0.8,
            exaggeration: 1.4, cfgWeight: 0.6, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: Conspiracy Podcast Host", text: "A sample script for the preset \"Turbo: Conspiracy Podcast Host\".", temperature: 0.85,
            exaggeration: 1.25, cfgWeight: 0.55, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: First-Time Skydiver", text: "A sample script for the preset \"Turbo: First-Time Skydiver\".", temperature: 0.8, exaggeration: 1.35,
            cfgWeight: 0.6, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: The Overworked Parent's Bedtime Story", text: "A sample script for the preset \"Turbo: The Overworked Parent's Bedtime Story\".",
            temperature: 0.75, exaggeration: 1.1, cfgWeight: 0.55, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: Escape Room Panic", text: "A sample script for the preset \"Turbo: Escape Room Panic\".", temperature: 0.85, exaggeration: 1.3,
            cfgWeight: 0.6, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: Nature Documentary Narrator Gone Wrong", text: "A sample script for the preset \"Turbo: Nature Documentary Narrator Gone Wrong\".",
            temperature: 0.8, exaggeration: 1.2, cfgWeight: 0.55, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: The Emotional Movie Reviewer", text: "A sample script for the preset \"Turbo: The Emotional Movie Reviewer\".", temperature: 0.8,
            exaggeration: 1.25, cfgWeight: 0.6, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "⚡ Turbo: Nervous Wedding Toast", text: "A sample script for the preset \"Turbo: Nervous Wedding Toast\".", temperature: 0.75, exaggeration: 1.15,
            cfgWeight: 0.55, seed: 0, speedFactor: 1.0, language: "en"),
        preset(
            "Long Story Excerpt (Chunking Test)", text: "A sample script for the preset \"Long Story Excerpt (Chunking Test)\".", temperature: 0.78,
            exaggeration: 1.1, cfgWeight: 0.55, seed: 1775, speedFactor: 1.0, language: "en"),
        preset(
            "Noir Detective Monologue", text: "A sample script for the preset \"Noir Detective Monologue\".", temperature: 0.75, exaggeration: 0.9,
            cfgWeight: 0.6, seed: 1947, speedFactor: 1.0, language: "en"),
        preset(
            "Children's Story Narrator", text: "A sample script for the preset \"Children's Story Narrator\".", temperature: 0.8, exaggeration: 0.7,
            cfgWeight: 0.5, seed: 888, speedFactor: 1.0, language: "en"),
        preset(
            "Motivational Speech", text: "A sample script for the preset \"Motivational Speech\".", temperature: 0.8, exaggeration: 1.2, cfgWeight: 0.55,
            seed: 2025, speedFactor: 1.0, language: "en"),
        preset(
            "Scientific Abstract Reading", text: "A sample script for the preset \"Scientific Abstract Reading\".", temperature: 0.7, exaggeration: 0.3,
            cfgWeight: 0.5, seed: 4096, speedFactor: 1.0, language: "en"),
        preset(
            "Fairy Tale Villain Monologue", text: "A sample script for the preset \"Fairy Tale Villain Monologue\".", temperature: 0.8, exaggeration: 1.3,
            cfgWeight: 0.6, seed: 666, speedFactor: 1.0, language: "en"),
    ])

    private static func preset(
        _ name: String, text: String, temperature: Double, exaggeration: Double, cfgWeight: Double, seed: Int, speedFactor: Double,
        language: String
    ) -> JSONValue {
        .object([
            ("name", .string(name)), ("text", .string(text)),
            (
                "params",
                .object([
                    ("temperature", .double(temperature)), ("exaggeration", .double(exaggeration)), ("cfg_weight", .double(cfgWeight)),
                    ("seed", .int(seed)), ("speed_factor", .double(speedFactor)), ("language", .string(language)),
                ])
            ),
        ])
    }
}

import SynapseCore

/// Answers as the gateway and the mocks give them, for the document's response examples (each
/// checked against its schema by `OpenAPICoverageTests`).
enum APIExamples {
    static let breaker = json(#"{"state":"closed","consecutive_failures":0,"forced":false,"probe_in_flight":false}"#)
    static let health = json(
        #"""
        {"status":"degraded","backends":{
          "llama-embed":{"status":"healthy","latency_ms":2.4,"code":200,"breaker":{"state":"closed","consecutive_failures":0,"forced":false,"probe_in_flight":false}},
          "whisper-stt":{"status":"unreachable","latency_ms":0.8,"error":"connection refused",
            "breaker":{"state":"open","consecutive_failures":5,"forced":false,"probe_in_flight":false,"seconds_until_half_open":12.5}}}}
        """#)
    static let breakers = json(
        #"{"breakers":{"llama-embed":{"state":"closed","consecutive_failures":0,"forced":false,"probe_in_flight":false}}}"#)
    static let breakerChange = json(
        #"""
        {"backend":"llama-embed","breaker":{"state":"open","consecutive_failures":0,"forced":true,"probe_in_flight":false},
         "transition":{"from":"closed","to":"open","reason":"forced_open"}}
        """#)
    static let reload = json(
        #"""
        {"status":"reloaded","generation":2,"backends_added":[],"backends_removed":[],"backends_changed":["llama-embed"],
         "backends_unchanged":["chatterbox-tts","whisper-stt"],"restart_required_for":[],"warnings":[]}
        """#)
    static let recording = json(
        #"""
        {"recording":true,"dir":"/tmp/synapse-recording","sample":1,"routes":[],"redactHeaders":[],"entries":3,"bytes":40960,"dropped":0,
         "file":"/tmp/synapse-recording/synapse-20260105-093012.har"}
        """#)
    static let transcription = json(
        #"""
        {"text":"Hello world.","language":"en","language_probability":0.98,"duration":1.6,
         "segments":[{"id":1,"text":"Hello world.","start":0.0,"end":1.6,
           "words":[{"word":" Hello","start":0.0,"end":0.7,"probability":0.99},{"word":" world.","start":0.7,"end":1.6,"probability":0.97}]}]}
        """#)
    static let languageDetection = json(
        #"{"detected_language":"en","probability":0.98,"all_languages":[{"code":"en","name":"en"},{"code":"de","name":"de"}]}"#)
    static let diarization = json(
        #"{"num_speakers":2,"duration":8.4,"segments":[{"speaker":"SPEAKER_00","start":0.0,"end":4.1},{"speaker":"SPEAKER_01","start":4.3,"end":8.4}]}"#)
    static let verification = json(#"{"is_same_speaker":true,"similarity_score":0.83,"threshold":0.5}"#)
    static let embeddings = json(
        #"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0123,-0.0456,0.0789]}],"model":"mxbai-embed-large","usage":{"prompt_tokens":1,"total_tokens":1}}"#
    )
    static let models = json(
        #"{"object":"list","data":[{"id":"Qwen3-8B-Q4_K_M","object":"model","created":1767600000,"owned_by":"llamacpp"},{"id":"mxbai-embed-large","object":"model"}]}"#
    )
    static let completion = json(
        #"""
        {"id":"chatcmpl-1","object":"chat.completion","created":1767600000,"model":"Qwen3-8B-Q4_K_M",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}
        """#)
    static let voiceDeleted = json(#"{"status":"deleted","voice_id":"3f2a9c1b7d4e"}"#)

    private static func json(_ text: String) -> JSONValue {
        (try? JSONValue.parse(text)) ?? .null
    }
}

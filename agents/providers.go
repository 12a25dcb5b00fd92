package agents

// Well-known provider and model names. They are conveniences: the API takes
// any name that fits the length and format rules, and this package never
// rejects a name for being unknown.
const (
	// Speech-to-text providers (CreateParams.STT).
	STTDeepgram   = "deepgram"
	STTAssemblyAI = "assemblyai"
	STTWhisper    = "whisper"

	// Text-to-speech providers (CreateParams.TTS).
	TTSCartesia   = "cartesia"
	TTSElevenLabs = "elevenlabs"
	TTSDeepgram   = "deepgram"

	// Speech-to-speech providers (CreateParams.RealtimeProvider).
	RealtimeOpenAI = "openai"
	RealtimeGoogle = "google"

	// LLM models (CreateParams.Model).
	ModelGPT4o     = "gpt-4o"
	ModelGPT4oMini = "gpt-4o-mini"
	ModelGemini    = "gemini-2.0-flash"
)

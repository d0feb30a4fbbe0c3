// libsamplerate (Debian: libsamplerate0-dev), the band-limited resampler behind the audio mocks'
// rate changes (Opus's fixed rates, /convert's sample_rate, /denoise's 48 kHz).
#include <samplerate.h>

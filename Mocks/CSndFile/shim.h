// libsndfile (Debian: libsndfile1-dev), the reader and writer of every container the audio mocks
// handle: WAV, AIFF, FLAC, Ogg Vorbis, Ogg Opus and MP3 (through libmpg123 and LAME).
#include <sndfile.h>

-- The benchmarks' request: POST /v1/embeddings with a small JSON body.
wrk.method = "POST"
wrk.body = '{"input":"The quick brown fox jumps over the lazy dog","model":"bench"}'
wrk.headers["Content-Type"] = "application/json"

// JSONRPC: JSON-RPC 2.0 messages and `Content-Length` framing over byte streams.

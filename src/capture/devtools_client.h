// The DevTools protocol's transport: one HTTP GET (for /json/list and /json/version) and one
// WebSocket connection carrying text messages. Boost.Beast and Asio are used only in
// devtools_client.cc, so that just one translation unit pays for their compile time; this
// header exposes plain strings. Every operation has a deadline: an expired one closes the
// connection and returns an error, it never hangs. Internal to src/capture.
#ifndef HEAPSCOPE_SRC_CAPTURE_DEVTOOLS_CLIENT_H_
#define HEAPSCOPE_SRC_CAPTURE_DEVTOOLS_CLIENT_H_

#include <memory>
#include <string>
#include <string_view>

#include "heapscope/capture/capture.h"
#include "heapscope/status.h"

namespace heapscope::capture::internal {

// GET http://HOST:PORT/PATH; the body of a 200 answer. Refuses hosts that resolve to a
// non-loopback address unless allow_remote.
Result<std::string> HttpGet(const Endpoint& at, std::string_view path, double timeout_seconds,
                            bool allow_remote);

class WebSocketClient {
 public:
  // Connects to a ws://HOST:PORT/PATH URL and completes the WebSocket handshake.
  static Result<std::unique_ptr<WebSocketClient>> Connect(std::string_view ws_url,
                                                          double timeout_seconds,
                                                          bool allow_remote);
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  Status Send(std::string_view text, double timeout_seconds);
  // The next whole message. A close by the peer, a dropped connection or the deadline is an
  // error; after one, the client is unusable.
  Result<std::string> Receive(double timeout_seconds);
  // Best-effort close handshake (bounded).
  void Close();

 private:
  struct Impl;
  explicit WebSocketClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits "ws://HOST:PORT/PATH" (exposed for tests). Errors name the URL.
struct WsUrl {
  std::string host;
  uint16_t port = 0;
  std::string path;
};
Result<WsUrl> ParseWsUrl(std::string_view url);

}  // namespace heapscope::capture::internal

#endif  // HEAPSCOPE_SRC_CAPTURE_DEVTOOLS_CLIENT_H_

// Boost.Beast (HTTP and WebSocket over Asio) behind plain strings; see devtools_client.h.
//
// Beast's synchronous calls ignore deadlines, so each operation is started asynchronously on a
// private io_context with a beast::tcp_stream expiry and the context is run until the handler
// fires: the expiry closes the socket, which completes the operation with `timeout`.
#include "capture/devtools_client.h"

#include <chrono>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

namespace heapscope::capture::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

std::chrono::steady_clock::duration Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(s));
}

// Runs the context until the pending operation completed (the expiry guarantees it does).
void RunToCompletion(asio::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

std::string Describe(const beast::error_code& ec, double timeout_seconds) {
  if (ec == beast::error::timeout) return fmt::format("no answer within {:g} s", timeout_seconds);
  if (ec == asio::error::connection_refused) return "connection refused (nothing is listening there)";
  if (ec == http::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == websocket::error::closed) {
    return "the connection was closed by the other side";
  }
  return ec.message();
}

// Resolves and connects within the deadline; refuses non-loopback addresses unless allowed.
Status ConnectTcp(asio::io_context& ioc, beast::tcp_stream& stream, const std::string& host,
                  uint16_t port, double timeout_seconds, bool allow_remote) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return Status::Io(fmt::format("{}:{}: cannot resolve host: {}", host, port, ec.message()));
  if (!allow_remote) {
    for (const auto& entry : results) {
      if (!entry.endpoint().address().is_loopback()) {
        return Status::Usage(fmt::format(
            "{}:{}: resolves to {}, which is not a loopback address; the inspector gives full "
            "control of the process, so a remote one needs --allow-remote",
            host, port, entry.endpoint().address().to_string()));
      }
    }
  }
  stream.expires_after(Seconds(timeout_seconds));
  bool done = false;
  stream.async_connect(results, [&](beast::error_code e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  RunToCompletion(ioc);
  if (!done || ec) {
    return Status::Io(fmt::format("cannot connect to the inspector at {}:{}: {}", host, port,
                                  Describe(ec, timeout_seconds)));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> HttpGet(const Endpoint& at, std::string_view path, double timeout_seconds,
                            bool allow_remote) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  HS_RETURN_IF_ERROR(ConnectTcp(ioc, stream, at.host, at.port, timeout_seconds, allow_remote));
  http::request<http::empty_body> req{http::verb::get, std::string(path), 11};
  req.set(http::field::host, fmt::format("{}:{}", at.host, at.port));
  req.set(http::field::user_agent, "heapscope");
  beast::error_code ec;
  bool done = false;
  stream.expires_after(Seconds(timeout_seconds));
  http::async_write(stream, req, [&](beast::error_code e, size_t) { ec = e; done = true; });
  RunToCompletion(ioc);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  if (done && !ec) {
    done = false;
    stream.expires_after(Seconds(timeout_seconds));
    http::async_read(stream, buffer, parser, [&](beast::error_code e, size_t) { ec = e; done = true; });
    RunToCompletion(ioc);
  }
  std::string url = fmt::format("http://{}:{}{}", at.host, at.port, path);
  if (!done || ec) return Status::Io(fmt::format("{}: {}", url, Describe(ec, timeout_seconds)));
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  auto& res = parser.get();
  if (res.result() != http::status::ok) {
    return Status::Io(fmt::format("{}: HTTP {} (is this a DevTools inspector endpoint?)", url,
                                  res.result_int()));
  }
  return std::move(res.body());
}

struct WebSocketClient::Impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::string where;
};

WebSocketClient::WebSocketClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebSocketClient::~WebSocketClient() = default;

Result<std::unique_ptr<WebSocketClient>> WebSocketClient::Connect(std::string_view ws_url,
                                                                   double timeout_seconds,
                                                                   bool allow_remote) {
  HS_ASSIGN_OR_RETURN(WsUrl u, ParseWsUrl(ws_url));
  auto impl = std::make_unique<Impl>();
  impl->where = std::string(ws_url);
  HS_RETURN_IF_ERROR(ConnectTcp(impl->ioc, beast::get_lowest_layer(impl->ws), u.host, u.port,
                                timeout_seconds, allow_remote));
  // Snapshots arrive in chunks of about 100 kB, but a sampling profile is one message.
  impl->ws.read_message_max(uint64_t{1} << 30);
  impl->ws.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(http::field::user_agent, "heapscope"); }));
  beast::error_code ec;
  bool done = false;
  beast::get_lowest_layer(impl->ws).expires_after(Seconds(timeout_seconds));
  impl->ws.async_handshake(fmt::format("{}:{}", u.host, u.port), u.path,
                           [&](beast::error_code e) { ec = e; done = true; });
  RunToCompletion(impl->ioc);
  if (!done || ec) {
    return Status::Io(fmt::format("{}: WebSocket handshake failed: {}", ws_url,
                                  Describe(ec, timeout_seconds)));
  }
  impl->ws.text(true);
  return std::unique_ptr<WebSocketClient>(new WebSocketClient(std::move(impl)));
}

Status WebSocketClient::Send(std::string_view text, double timeout_seconds) {
  beast::error_code ec;
  bool done = false;
  beast::get_lowest_layer(impl_->ws).expires_after(Seconds(timeout_seconds));
  impl_->ws.async_write(asio::buffer(text.data(), text.size()),
                        [&](beast::error_code e, size_t) { ec = e; done = true; });
  RunToCompletion(impl_->ioc);
  if (!done || ec) {
    return Status::Io(fmt::format("{}: cannot send: {}", impl_->where, Describe(ec, timeout_seconds)));
  }
  return Status::Ok();
}

Result<std::string> WebSocketClient::Receive(double timeout_seconds) {
  beast::error_code ec;
  bool done = false;
  impl_->buffer.clear();
  beast::get_lowest_layer(impl_->ws).expires_after(Seconds(timeout_seconds));
  impl_->ws.async_read(impl_->buffer, [&](beast::error_code e, size_t) { ec = e; done = true; });
  RunToCompletion(impl_->ioc);
  if (!done || ec) {
    return Status::Io(fmt::format("{}: {}", impl_->where, Describe(ec, timeout_seconds)));
  }
  return beast::buffers_to_string(impl_->buffer.data());
}

void WebSocketClient::Close() {
  if (!impl_->ws.is_open()) return;
  bool done = false;
  beast::get_lowest_layer(impl_->ws).expires_after(std::chrono::seconds(2));
  impl_->ws.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
  RunToCompletion(impl_->ioc);
}

}  // namespace heapscope::capture::internal

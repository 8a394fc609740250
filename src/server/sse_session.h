// Internal to the server: a connection that carries a live event stream after its handler returned
// Response::EventStream().
#pragma once

#include <memory>
#include <string>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>

#include "server/server_core.h"
#include "server/sse.h"

namespace salesradar::server {

using SseResponseHeader = boost::beast::http::response<boost::beast::http::empty_body>;

// Writes `header` and then the subscription's events as Server-Sent Events, with a heartbeat
// comment whenever nothing was written for core.config.stream_heartbeat_interval. Ends when the
// client disconnects, the subscription closes or overflows, a write takes longer than
// core.config.response_timeout, or the server stops; closes the subscription then. `stream` must
// use a strand executor.
void StartSseSession(boost::beast::tcp_stream stream, ServerCore& core,
                     std::shared_ptr<SseSubscription> subscription, SseResponseHeader header,
                     std::string request_id);

}  // namespace salesradar::server

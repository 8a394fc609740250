#include "fake_platforms.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "notify/signing.h"

namespace salesradar::notify::testing {
namespace {

const SystemClock kSystemClock;

nlohmann::json RobotReply(int64_t code, const std::string& message, bool feishu) {
  if (feishu) return {{"code", code}, {"msg", message}, {"data", nlohmann::json::object()}};
  return {{"errcode", code}, {"errmsg", message}};
}

// Checks the robot body shapes of the platforms' documentation; returns the problem or "".
std::string WecomShape(const nlohmann::json& body) {
  std::string type = body.value("msgtype", "");
  if (type != "text" && type != "markdown") return "msgtype must be text or markdown";
  if (!body.contains(type) || !body[type].contains("content") || !body[type]["content"].is_string()) {
    return type + ".content missing";
  }
  size_t limit = type == "text" ? 2048 : 4096;
  if (body[type]["content"].get<std::string>().size() > limit) return "content too long";
  return "";
}

std::string DingTalkShape(const nlohmann::json& body) {
  std::string type = body.value("msgtype", "");
  if (type == "text") return body.contains("text") && body["text"].contains("content") ? "" : "text.content missing";
  if (type == "markdown") {
    return body.contains("markdown") && body["markdown"].contains("title") && body["markdown"].contains("text")
               ? ""
               : "markdown.title or markdown.text missing";
  }
  if (type == "actionCard") {
    return body.contains("actionCard") && body["actionCard"].contains("title") && body["actionCard"].contains("text")
               ? ""
               : "actionCard.title or actionCard.text missing";
  }
  return "unknown msgtype";
}

std::string FeishuShape(const nlohmann::json& body) {
  std::string type = body.value("msg_type", "");
  if (type == "text") return body.contains("content") && body["content"].contains("text") ? "" : "content.text missing";
  if (type == "post") return body.contains("content") && body["content"].contains("post") ? "" : "content.post missing";
  if (type == "interactive") {
    return body.contains("card") && body["card"].contains("elements") ? "" : "card.elements missing";
  }
  return "unknown msg_type";
}

Arrival NewArrival(std::string platform, const Clock& clock, const std::string& body) {
  Arrival arrival;
  arrival.platform = std::move(platform);
  arrival.at = clock.Now();
  arrival.body = nlohmann::json::parse(body, nullptr, false);
  return arrival;
}

int64_t UnixSeconds(const Clock& clock) { return ToUnixMicros(clock.Now()) / 1'000'000; }

}  // namespace

FakePlatforms::FakePlatforms(FakeOptions options) : options_(std::move(options)) {
  if (options_.clock == nullptr) options_.clock = &kSystemClock;
  server::ServerConfig config;
  config.listen.host = "127.0.0.1";
  config.listen.port = 0;
  config.threads = 1;
  server_ = std::make_unique<server::Server>(config);
  server::Router& router = server_->router();

  router.Add(server::Method::kPost, "/cgi-bin/webhook/send", [this](const server::Request& request) {
    Arrival arrival = NewArrival("wecom", *options_.clock, request.body);
    if (request.Query("key").value_or("") != options_.wecom_key) arrival.problem = "wrong key";
    if (arrival.problem.empty()) arrival.problem = WecomShape(arrival.body);
    if (arrival.problem.empty() && TakeRateLimit()) arrival.problem = "rate limited";
    Arrival recorded = Record(arrival);
    if (recorded.problem == "rate limited") {
      return Result<server::Response>(server::Response::Json(200, RobotReply(45009, "api freq out of limit", false)));
    }
    if (!recorded.accepted) {
      return Result<server::Response>(server::Response::Json(200, RobotReply(93000, recorded.problem, false)));
    }
    return Result<server::Response>(server::Response::Json(200, RobotReply(0, "ok", false)));
  });

  router.Add(server::Method::kPost, "/robot/send", [this](const server::Request& request) {
    Arrival arrival = NewArrival("dingtalk", *options_.clock, request.body);
    if (request.Query("access_token").value_or("") != options_.dingtalk_token) arrival.problem = "wrong token";
    if (arrival.problem.empty() && !options_.dingtalk_secret.empty()) {
      std::string timestamp(request.Query("timestamp").value_or(""));
      std::string sign(request.Query("sign").value_or(""));  // the server decodes query values once
      int64_t ms = timestamp.empty() ? 0 : std::stoll(timestamp);
      std::string expected = Base64(HmacSha256(options_.dingtalk_secret, timestamp + "\n" + options_.dingtalk_secret));
      if (sign != expected) arrival.problem = "sign mismatch";
      if (std::llabs(ms / 1000 - UnixSeconds(*options_.clock)) > 3600) arrival.problem = "timestamp too old";
    }
    if (arrival.problem.empty()) arrival.problem = DingTalkShape(arrival.body);
    if (arrival.problem.empty() && TakeRateLimit()) arrival.problem = "rate limited";
    Arrival recorded = Record(arrival);
    if (recorded.problem == "rate limited") {
      return Result<server::Response>(server::Response::Json(200, RobotReply(130101, "send too fast", false)));
    }
    if (!recorded.accepted) {
      return Result<server::Response>(server::Response::Json(200, RobotReply(310000, recorded.problem, false)));
    }
    return Result<server::Response>(server::Response::Json(200, RobotReply(0, "ok", false)));
  });

  router.Add(server::Method::kPost, "/open-apis/bot/v2/hook/{token}", [this](const server::Request& request) {
    Arrival arrival = NewArrival("feishu", *options_.clock, request.body);
    if (request.Param("token").value_or("") != options_.feishu_token) arrival.problem = "wrong token";
    if (arrival.problem.empty() && !options_.feishu_secret.empty()) {
      std::string timestamp = arrival.body.value("timestamp", "");
      std::string expected = Base64(HmacSha256(timestamp + "\n" + options_.feishu_secret, ""));
      if (arrival.body.value("sign", "") != expected) arrival.problem = "sign match fail";
    }
    if (arrival.problem.empty()) arrival.problem = FeishuShape(arrival.body);
    if (arrival.problem.empty() && TakeRateLimit()) arrival.problem = "rate limited";
    Arrival recorded = Record(arrival);
    if (recorded.problem == "rate limited") {
      return Result<server::Response>(server::Response::Json(200, RobotReply(11232, "frequency limited", true)));
    }
    if (!recorded.accepted) {
      return Result<server::Response>(server::Response::Json(200, RobotReply(19021, recorded.problem, true)));
    }
    return Result<server::Response>(server::Response::Json(200, RobotReply(0, "success", true)));
  });

  router.Add(server::Method::kPost, "/webhook", [this](const server::Request& request) {
    Arrival arrival = NewArrival("webhook", *options_.clock, request.body);
    arrival.delivery_id = std::string(request.Header("X-SalesRadar-Delivery").value_or(""));
    std::string header(request.Header("X-SalesRadar-Signature").value_or(""));
    size_t comma = header.find(",v1=");
    if (!header.starts_with("t=") || comma == std::string::npos) {
      arrival.problem = "signature header malformed";
    } else {
      std::string t = header.substr(2, comma - 2);
      std::string expected = Hex(HmacSha256(options_.webhook_secret, t + "." + request.body));
      if (header.substr(comma + 4) != expected) arrival.problem = "signature mismatch";
    }
    Arrival recorded = Record(arrival);
    int status = recorded.accepted ? 204 : 401;
    return Result<server::Response>(server::Response::Text(status, ""));
  });

  Status started = server_->Start();
  if (!started.ok()) throw std::runtime_error("fake platforms: " + started.error().ToLogString());
}

FakePlatforms::~FakePlatforms() { server_->Stop(); }

uint16_t FakePlatforms::port() const { return server_->port(); }

std::string FakePlatforms::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }

void FakePlatforms::OnArrival(std::function<void(const Arrival&)> callback) {
  std::lock_guard lock(mutex_);
  on_arrival_ = std::move(callback);
}

std::vector<Arrival> FakePlatforms::Arrivals() const {
  std::lock_guard lock(mutex_);
  return arrivals_;
}

Arrival FakePlatforms::Record(Arrival arrival) {
  if (arrival.body.is_discarded()) arrival.problem = "body is not JSON";
  arrival.accepted = arrival.problem.empty();
  std::function<void(const Arrival&)> callback;
  {
    std::lock_guard lock(mutex_);
    arrivals_.push_back(arrival);
    callback = on_arrival_;
  }
  if (callback) callback(arrival);
  return arrival;
}

bool FakePlatforms::TakeRateLimit() {
  int left = rate_limit_next_.load();
  while (left > 0) {
    if (rate_limit_next_.compare_exchange_weak(left, left - 1)) return true;
  }
  return false;
}

// ---- SMTP sink ----

SmtpSink::SmtpSink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listen_fd_, 8) != 0) {
    throw std::runtime_error("smtp sink: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof(address);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

SmtpSink::~SmtpSink() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::vector<SinkMail> SmtpSink::Mails() const {
  std::lock_guard lock(mutex_);
  return mails_;
}

void SmtpSink::Serve() {
  while (!stopping_) {
    pollfd poll_fd{listen_fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    Session(fd);
    ::close(fd);
  }
}

void SmtpSink::Session(int fd) {
  auto send = [fd](const std::string& line) { (void)!::write(fd, line.data(), line.size()); };
  std::string buffer;
  auto read_line = [&](std::string* line) {
    while (true) {
      size_t end = buffer.find("\r\n");
      if (end != std::string::npos) {
        *line = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      pollfd poll_fd{fd, POLLIN, 0};
      if (::poll(&poll_fd, 1, 5000) <= 0) return false;
      char chunk[4096];
      ssize_t got = ::read(fd, chunk, sizeof(chunk));
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(got));
    }
  };

  send("220 sink.local ESMTP test sink\r\n");
  SinkMail mail;
  std::string line;
  while (read_line(&line)) {
    std::string verb = line.substr(0, 4);
    for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (verb == "EHLO" || verb == "HELO") {
      send("250-sink.local\r\n250 8BITMIME\r\n");
    } else if (verb == "MAIL") {
      mail = SinkMail{};
      mail.from = line.substr(10);
      send("250 OK\r\n");
    } else if (verb == "RCPT") {
      mail.to.push_back(line.substr(8));
      send("250 OK\r\n");
    } else if (verb == "DATA") {
      send("354 end with <CRLF>.<CRLF>\r\n");
      while (read_line(&line) && line != ".") mail.data += line + "\n";
      {
        std::lock_guard lock(mutex_);
        mails_.push_back(mail);
      }
      send("250 OK queued\r\n");
    } else if (verb == "QUIT") {
      send("221 bye\r\n");
      return;
    } else if (verb == "RSET" || verb == "NOOP") {
      send("250 OK\r\n");
    } else {
      send("502 command not implemented\r\n");
    }
  }
}

}  // namespace salesradar::notify::testing

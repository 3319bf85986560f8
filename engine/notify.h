// Delivering reminder messages to units: stdout, a directory, a command, or a group-chat
// robot's webhook. The engine decides what to send; this only carries it.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace duban {

/// One message to one unit.
struct Message {
  std::string unit;        // unit id
  std::string unit_name;   // display name
  std::string email;       // contact, may be empty
  std::string webhook;     // contact URL, may be empty
  std::string title;       // one line, e.g. "【督办提醒】九江市…工作方案 2025-03-10"
  std::string text;        // the body, plain text (Markdown-friendly), UTF-8
  std::string json;        // the machine-readable body (duban.reminder/1), one object
  std::string day;         // YYYY-MM-DD it is for
};

enum class ChannelKind { kStdout, kDirectory, kCommand, kWebhook };
enum class RobotFormat { kWecom, kDingtalk, kFeishu, kPlain };

struct ChannelSpec {
  ChannelKind kind = ChannelKind::kStdout;
  std::string target;  // directory path, or the command line (run with /bin/sh -c)
  RobotFormat format = RobotFormat::kWecom;  // for webhooks
  int timeout_ms = 10000;                     // per HTTP request
};

/// Parses a --channel value: "stdout", "dir:PATH", "command:CMD", "webhook" (企业微信),
/// "webhook:wecom", "webhook:dingtalk", "webhook:feishu", "webhook:plain" (the
/// duban.reminder/1 JSON itself). InvalidInput with the accepted forms otherwise.
Result<ChannelSpec> ParseChannel(std::string_view spec);

/// The JSON body a group-chat robot expects for `m`:
///  wecom:    {"msgtype":"markdown","markdown":{"content":TITLE\n\nTEXT}}
///  dingtalk: {"msgtype":"markdown","markdown":{"title":TITLE,"text":TITLE\n\nTEXT}}
///  feishu:   {"msg_type":"text","content":{"text":TITLE\n\nTEXT}}
///  plain:    m.json
std::string RobotPayload(const Message& m, RobotFormat format);

/// Delivers `m`. Returns OK only when the channel accepted it:
///  stdout: appended to *stdout_text (title, blank line, text); the caller prints it.
///  directory: written atomically to TARGET/DAY/UNIT.txt (created as needed).
///  command: TARGET run by /bin/sh with the text on stdin and DUBAN_UNIT, DUBAN_UNIT_NAME,
///           DUBAN_EMAIL, DUBAN_TITLE, DUBAN_DAY in its environment; exit 0 = accepted.
///  webhook: HTTP POST of RobotPayload to m.webhook (Content-Type application/json);
///           accepted on HTTP 2xx and, for robots that answer {"errcode":N} or
///           {"code":N}, N == 0. A unit without a webhook is an error.
/// Never throws; the status message says what failed (HTTP code, timeout, exit status).
Status Deliver(const Message& m, const ChannelSpec& channel, std::string* stdout_text);

}  // namespace duban

// One message-log event as `mailroutectl logs` prints it after the time and
// area columns: "QUEUEID EVENT: key=value ...". The fields an administrator
// reads first come first (for "refused": client, from, to, then the reply;
// for "kept": the header field, the address, why it was kept); the others
// follow in name order. Newlines in values become spaces.
#pragma once

#include "relaycore/store/configstore.h"

#include <QString>

namespace mailroute {

QString formatMessageLogLine(const MessageLogEntry &entry);

} // namespace mailroute

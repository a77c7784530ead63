// The name the relay calls itself (greeting, Received:, EHLO towards next
// hops, MAILER-DAEMON@ of bounces and confirmations) when relay.hostname is
// empty: the machine's name, with ".localdomain" appended when it has no dot,
// as Postfix derives myhostname. One function, so the relay, lint, readiness
// and the console agree. In routing/ (pure, Qt Core only) because lint lives
// here and every other user links it. Thread-safe.
#pragma once

#include <QString>

namespace mailroute {

// gethostname(2) (QSysInfo::machineHostName()), or the name a test set.
QString machineHostName();
// Tests only: pretend the machine is called `name`; an empty name restores
// the real one.
void setMachineHostNameForTesting(const QString &name);

// `configured` (relay.hostname) when set; else machineHostName(), plus
// ".localdomain" when it has no dot ("vm" -> "vm.localdomain"); an empty
// machine name gives "localhost.localdomain".
QString effectiveRelayHostName(const QString &configured);

// One sentence naming the setting when relay.hostname is empty and the
// machine's name has no domain; empty otherwise.
QString relayHostNameWarning(const QString &configured);

} // namespace mailroute

// Default answers of SmtpPolicy: the steps where a policy usually has nothing
// to say accept. MAIL and RCPT have no default (see the header).
#include "relaycore/smtp/smtppolicy.h"

namespace mailroute {

Verdict SmtpPolicy::onConnect(const SessionInfo &) const
{
    return Verdict::accept();
}

Verdict SmtpPolicy::onHelo(const SessionInfo &, const QString &) const
{
    return Verdict::accept();
}

Verdict SmtpPolicy::onDataStart(const SessionInfo &, const Transaction &) const
{
    return Verdict::accept();
}

Verdict SmtpPolicy::onMessageEnd(const SessionInfo &, const Transaction &) const
{
    return Verdict::accept();
}

} // namespace mailroute

// Private to SmtpSession's two source files (smtpsession.cpp and
// smtpsessioncommands.cpp), not part of relaycore_smtp's interface: the
// definition of the member template askPolicy(), which both halves call
// (each instantiates it for its own lambdas, inline as before the split).
#pragma once

#include "relaycore/smtp/smtpsession.h"

#include <exception>

namespace mailroute {

namespace sessiondetail {

// A reply from outside the session must be of the class its use implies.
inline bool isFailureReply(const Reply &r, bool permanent)
{
    return permanent ? r.isPermanentFailure() : r.isTransientFailure();
}

} // namespace sessiondetail

// Runs one policy step; a missing policy, an exception or a reply of the
// wrong class becomes the fixed 451 4.3.0, with the detail as a Diagnostic
// for the log.
template <typename Ask> Verdict SmtpSession::askPolicy(const char *step, const SmtpPolicy *policy, Ask &&ask)
{
    const QString where = QLatin1String(step);
    if (!policy) {
        diagnostic(QStringLiteral("no SMTP policy available at ") + where);
        return Verdict::tempFail(replies::internalError());
    }
    Verdict v;
    try {
        v = ask(*policy);
    } catch (const std::exception &e) {
        diagnostic(QStringLiteral("SMTP policy failed at ") + where + QStringLiteral(": ") +
                   QString::fromLocal8Bit(e.what()));
        return Verdict::tempFail(replies::internalError());
    } catch (...) {
        diagnostic(QStringLiteral("SMTP policy failed at ") + where + QStringLiteral(": unknown exception"));
        return Verdict::tempFail(replies::internalError());
    }
    if (v.kind != Verdict::Kind::Accept &&
        !sessiondetail::isFailureReply(v.reply, v.kind == Verdict::Kind::Reject)) {
        diagnostic(QStringLiteral("SMTP policy answered ") + where + QStringLiteral(" with reply code ") +
                   QString::number(v.reply.code));
        return Verdict::tempFail(replies::internalError());
    }
    return v;
}

} // namespace mailroute

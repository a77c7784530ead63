// libFuzzer target: SmtpSession (relaycore/smtp) fed the input in chunks,
// with a policy that accepts everything. The first input byte seeds the
// chunk sizes (1..64 octets), the rest is what the client sends.
//
// Oracles, besides no crash or sanitizer report:
// - every MessageReady message has CRLF line ends only (no bare CR, no bare
//   LF) and no NUL (RFC 5321 §2.3.8, SMTP smuggling);
// - no more messages come out than the input holds <CRLF>.<CRLF> sequences
//   (only that ends DATA, RFC 5321 §4.1.1.4), so no bare-LF/bare-CR ending
//   ever produces an extra message.
#include "relaycore/smtp/smtpsession.h"

#include <QHostAddress>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mailroute;

namespace {

class AcceptAll final : public SmtpPolicy
{
public:
    Verdict onMail(const SessionInfo &, const Transaction &) const override { return Verdict::accept(); }
    Verdict onRecipient(const SessionInfo &, const Transaction &, const EnvelopeRecipient &) const override
    {
        return Verdict::accept();
    }
};

void checkMessage(const QByteArray &m)
{
    for (qsizetype i = 0; i < m.size(); ++i) {
        const char c = m.at(i);
        const bool bad = c == '\0' || (c == '\r' && (i + 1 >= m.size() || m.at(i + 1) != '\n')) ||
                         (c == '\n' && (i == 0 || m.at(i - 1) != '\r'));
        if (bad) {
            std::fprintf(stderr, "message has a bare CR/LF or NUL at offset %lld of %lld\n",
                         static_cast<long long>(i), static_cast<long long>(m.size()));
            std::abort();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t rng = data[0] * 2654435761u + 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    static const std::shared_ptr<const SmtpPolicy> policy = std::make_shared<AcceptAll>();
    SessionConfig config;
    config.hostname = QStringLiteral("mx.fuzz.example");
    config.tlsAvailable = (data[0] & 1) != 0;
    // Small limits so that the limit paths are reached with small inputs.
    config.limits.commandLine = 128;
    config.limits.textLine = 200;
    config.limits.messageSize = 4096;
    config.limits.recipients = 4;
    config.limits.pipelineBuffer = 1024;
    SmtpSession session(config, QHostAddress(QHostAddress::LocalHost), 40000, [] { return policy; });

    qsizetype endings = 0;
    for (qsizetype i = 0; (i = input.indexOf(QByteArrayView("\r\n.\r\n"), i)) >= 0; ++i)
        ++endings;
    qsizetype messages = 0;
    int queueId = 0;

    session.start();
    qsizetype pos = 0;
    while (true) {
        bool more = true;
        while (more) {
            more = false;
            for (SessionAction &a : session.takeActions()) {
                switch (a.kind) {
                case SessionAction::Kind::MessageReady:
                    checkMessage(a.message.transaction.data);
                    ++messages;
                    if (messages > endings) {
                        std::fprintf(stderr, "%lld messages from %lld <CRLF>.<CRLF>\n",
                                     static_cast<long long>(messages), static_cast<long long>(endings));
                        std::abort();
                    }
                    // Alternate verdicts so both resume paths are exercised.
                    if (++queueId % 3 == 0)
                        session.messageRejected(replies::internalError());
                    else
                        session.messageAccepted(QByteArray::number(queueId));
                    more = true;
                    break;
                case SessionAction::Kind::StartTls:
                    session.tlsEstablished();
                    more = true;
                    break;
                default: break;
                }
            }
        }
        if (session.isClosed() || pos >= input.size())
            break;
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        const qsizetype n = qMin<qsizetype>(1 + rng % 64, input.size() - pos);
        session.feed(input.sliced(pos, n));
        pos += n;
    }
    if (!session.isClosed()) {
        session.timedOut();
        session.takeActions();
    }
    return 0;
}

// bench_smtpsession: the SMTP server session alone (relaycore/smtp, no
// sockets, a policy that accepts everything), so a change to the command
// dispatch or the parsers shows without the noise of the network, the spool
// and fsync. A program, not a test: one key=value line per figure, CPU time
// of the thread (the machine is shared).
//
//   bench_smtpsession [MESSAGES] [COMMAND_ROUNDS]     defaults 200000 and 300000
//
//   messages:  pipelined transactions (MAIL, 3 RCPT, DATA, 4 KiB text, the
//              verdict), as smtp-source sends them; messages per CPU second
//   commands:  MAIL, 2 RCPT, EHLO (which ends the transaction) in a loop:
//              command lines per CPU second, the dispatch and the parsers
#include "relaycore/smtp/smtpsession.h"

#include <QByteArray>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

using namespace mailroute;

namespace {

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

class AcceptAll final : public SmtpPolicy
{
public:
    Verdict onMail(const SessionInfo &, const Transaction &) const override { return Verdict::accept(); }
    Verdict onRecipient(const SessionInfo &, const Transaction &, const EnvelopeRecipient &) const override
    {
        return Verdict::accept();
    }
};

struct Run
{
    qint64 replyBytes = 0;
    qint64 messages = 0;
    bool closed = false;
};

// Feeds `chunk` `rounds` times, answering every MessageReady with a queue id.
Run drive(const QByteArray &chunk, qint64 rounds)
{
    const auto policy = std::make_shared<const AcceptAll>();
    SessionConfig config;
    config.hostname = QStringLiteral("relay.bench.example");
    SmtpSession session(config, QHostAddress(QStringLiteral("192.0.2.1")), 40000,
                        [policy] { return policy; });
    Run run;
    const auto drain = [&] {
        for (;;) {
            std::vector<SessionAction> actions = session.takeActions();
            if (actions.empty())
                return;
            for (SessionAction &a : actions) {
                if (a.kind == SessionAction::Kind::SendReply)
                    run.replyBytes += a.bytes.size();
                else if (a.kind == SessionAction::Kind::MessageReady) {
                    ++run.messages;
                    session.messageAccepted("Q1");
                }
            }
        }
    };
    session.start();
    session.feed("EHLO client.bench.example\r\n");
    drain();
    for (qint64 i = 0; i < rounds && !session.isClosed(); ++i) {
        session.feed(chunk);
        drain();
    }
    run.closed = session.isClosed();
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    const qint64 messages = argc > 1 ? std::atoll(argv[1]) : 200000;
    const qint64 commandRounds = argc > 2 ? std::atoll(argv[2]) : 300000;

    QByteArray text;
    text += "From: a@bench.example\r\nTo: b@bench.example\r\nSubject: bench\r\n\r\n";
    while (text.size() < 4096)
        text += "..a line of text that is stuffed, then some more words to fill the line up\r\n";
    QByteArray tx = "MAIL FROM:<sender@bench.example> SIZE=5000 BODY=8BITMIME\r\n"
                    "RCPT TO:<one@dest.example>\r\nRCPT TO:<two@dest.example>\r\n"
                    "RCPT TO:<three@dest.example>\r\nDATA\r\n";
    tx += text;
    tx += ".\r\n";

    double start = threadCpuSeconds();
    const Run m = drive(tx, messages);
    const double mSecs = threadCpuSeconds() - start;
    if (m.closed || m.messages != messages) {
        std::fprintf(stderr, "bench_smtpsession: messages run ended early (%lld of %lld)\n",
                     static_cast<long long>(m.messages), static_cast<long long>(messages));
        return 1;
    }
    std::printf("messages=%lld\nmessages_cpu_s=%.3f\nmessages_per_cpu_s=%.0f\n",
                static_cast<long long>(messages), mSecs, double(messages) / mSecs);

    const QByteArray commands = "MAIL FROM:<sender@bench.example>\r\nRCPT TO:<one@dest.example>\r\n"
                                "RCPT TO:<\"quoted local\"@dest.example>\r\nEHLO client.bench.example\r\n";
    start = threadCpuSeconds();
    const Run c = drive(commands, commandRounds);
    const double cSecs = threadCpuSeconds() - start;
    if (c.closed) {
        std::fprintf(stderr, "bench_smtpsession: commands run ended early\n");
        return 1;
    }
    std::printf("command_lines=%lld\ncommands_cpu_s=%.3f\ncommands_per_cpu_s=%.0f\n",
                static_cast<long long>(commandRounds * 4), cSecs, double(commandRounds * 4) / cSecs);
    return 0;
}

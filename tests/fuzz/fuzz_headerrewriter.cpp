// libFuzzer target: HeaderRewriter (relaycore/message). The whole input is
// the message. Oracles: no crash or sanitizer report with a mapper that maps
// every address to one fixed address (recipient and sender field sets), and
// with a mapper that returns nullopt the output equals the input byte for
// byte and no change is reported.
#include "relaycore/message/headerrewriter.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mailroute;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray message(reinterpret_cast<const char *>(data), qsizetype(size));

    static const HeaderRewriter keep(
        HeaderRewriter::recipientFields(),
        [](const MailAddress &) -> std::optional<QString> { return std::nullopt; });
    const HeaderRewriteResult same = keep.rewrite(message);
    if (same.message != message || same.changed()) {
        std::fprintf(stderr, "nullopt mapper changed the message (%lld -> %lld bytes, %lld changes)\n",
                     static_cast<long long>(message.size()), static_cast<long long>(same.message.size()),
                     static_cast<long long>(same.changes.size()));
        std::abort();
    }

    const auto fixed = [](const MailAddress &) -> std::optional<QString> {
        return QStringLiteral("fixed.mailbox@rewritten.example");
    };
    static const HeaderRewriter toRecipients(HeaderRewriter::recipientFields(), fixed);
    static const HeaderRewriter toSenders(HeaderRewriter::senderFields(), fixed);
    for (const HeaderRewriter *rw : {&toRecipients, &toSenders}) {
        const HeaderRewriteResult r = rw->rewrite(message);
        if (!r.changed() && r.message != message) {
            std::fprintf(stderr, "message changed without a reported change\n");
            std::abort();
        }
    }
    return 0;
}

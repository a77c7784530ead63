// libFuzzer target: parseMailbox and normalizeDomain (relaycore/routing).
// Oracles: no crash or sanitizer report; an accepted address is canonical
// (its toString() parses back to the same local part and domain), and an
// accepted domain normalises to itself.
#include "relaycore/routing/mailaddress.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mailroute;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));

    for (const bool utf8 : {true, false}) {
        AddressParseOptions opts;
        opts.allowUtf8 = utf8;
        const Result<MailAddress> a = parseMailbox(text, opts);
        if (!a.ok())
            continue;
        const QString printed = a->toString();
        const Result<MailAddress> again = parseMailbox(printed, opts);
        if (!again.ok() || again->localPart != a->localPart || again->domain != a->domain) {
            std::fprintf(stderr, "re-parse mismatch: '%s' -> '%s' -> %s\n", text.toUtf8().constData(),
                         printed.toUtf8().constData(),
                         again.ok() ? again->toString().toUtf8().constData()
                                    : again.error.toUtf8().constData());
            std::abort();
        }
    }

    const Result<QString> d = normalizeDomain(text);
    if (d.ok()) {
        const Result<QString> again = normalizeDomain(*d);
        if (!again.ok() || *again != *d) {
            std::fprintf(stderr, "domain re-normalise mismatch: '%s' -> '%s'\n", text.toUtf8().constData(),
                         d->toUtf8().constData());
            std::abort();
        }
    }
    return 0;
}

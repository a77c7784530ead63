// libFuzzer target: UserCsvCodec::parse (relaycore/csv). Oracles: no crash
// or sanitizer report; when a parse is ok(), write() of its rows parses back
// to the same rows (the header's promise: parse(write(x)).rows == x).
#include "relaycore/csv/usercsvcodec.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mailroute;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    CsvParseOptions opts;
    opts.allowEmpty = true;
    const CsvParseResult r = UserCsvCodec::parse(input, opts);
    if (!r.ok())
        return 0;
    if (!r.errors.isEmpty() || r.cancelled)
        std::abort();

    const QByteArray written = UserCsvCodec::write(r.rows);
    const CsvParseResult back = UserCsvCodec::parse(written, opts);
    if (!back.ok() || back.rows != r.rows) {
        std::fprintf(stderr, "round trip mismatch: %lld rows -> %s\n", static_cast<long long>(r.rows.size()),
                     back.ok() ? "different rows" : back.errors.first().reason.toUtf8().constData());
        std::abort();
    }
    return 0;
}

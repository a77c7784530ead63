// The compact binary form of a pushed configuration (a ConfigData) as stored in
// the `generations` table. A generation must hold 1,000,000 user mappings and
// still be written and read back in well under a second, so this is a flat
// length-prefixed UTF-8 stream (optionally zlib-compressed), not JSON or
// QDataStream (UTF-16, twice the size). Pure; safe from any thread.
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QByteArray>

namespace mailroute {

class GenerationCodec final
{
public:
    // Layout (all integers are unsigned LEB128 varints):
    //   "MRGS" u8 format(=4) u8 compression(0 none, 1 zlib)  body
    //   body  := areaCount { domainCount {str str} userCount {str str} }*areaCount
    //            settingCount {key value} routeCount {domain nextHop tls}
    //            dkimCount {domain selector algorithm state keyFile publicKey
    //                       created retiredAt}
    //   tls   := "" (the delivery.tls_policy setting) | "may" | "encrypt" | "verify"
    //   algorithm := "rsa-2048" | "rsa-3072" | "ed25519"; state := "active" |
    //            "pending" | "retired"; created, retiredAt: varint milliseconds
    //            waveCount {name area at expire flags users outbound} (format 4;
    //            see generationcodec.cpp encodeWaves)
    //   Format 1 (older builds) has routes without tls and no DKIM keys;
    //   format 2 has no DKIM keys. Both still decode.
    //   str   := byteLength UTF-8 bytes
    // Compression applies to the whole body (qCompress framing).
    enum class Compression { None = 0, Zlib = 1 };

    static QByteArray encode(const ConfigData &config, Compression compression = Compression::Zlib);
    // Refuses anything damaged or truncated, or a newer format, with a reason.
    static Result<ConfigData> decode(const QByteArray &blob);

    static int formatVersion();

    // Whether the (uncompressed) body contains `needle` as bytes: a cheap
    // "might this generation name that file" without decoding a million
    // users. True for a blob it cannot read, so callers err on keeping.
    static bool mentions(const QByteArray &blob, const QByteArray &needle);
};

} // namespace mailroute

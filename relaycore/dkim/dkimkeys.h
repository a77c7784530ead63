// DKIM key material (RFC 6376 §3.6.1, RFC 8301, RFC 8463): generating a key
// pair, writing the private key file, deriving the record's p= value and the
// TXT record strings. Pure except for writeDkimPrivateKey and
// dkimPublicKeyFromFile, which touch one file each; safe from any thread.
//
// Decisions:
// - RSA p= is the base64 of the DER SubjectPublicKeyInfo (what every DKIM
//   verifier reads, RFC 6376 §3.6.1); Ed25519 p= is the base64 of the raw
//   32-byte public key (RFC 8463 §4), not a SubjectPublicKeyInfo.
// - Private keys are PKCS#8 PEM, unencrypted: the relay signs without a
//   person present. The file is the secret; it is mode 0600 from the moment
//   it exists, in a folder of mode 0700.
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace mailroute {

struct GeneratedDkimKey
{
    QByteArray privatePem; // PKCS#8 PEM; never logged, never stored in the database
    QString publicKey;     // the record's p= value (base64)
};

// A new key pair from OpenSSL's EVP key generation (RSA 2048 or 3072 bits,
// or Ed25519).
Result<GeneratedDkimKey> generateDkimKey(DkimAlgorithm algorithm);

// Writes `pem` to `path`: the parent folder is created with mode 0700 when it
// is missing, the file is created 0600 (never readable by others, not even
// for a moment) under a temporary name, synced, then renamed over `path`.
Status writeDkimPrivateKey(const QString &path, const QByteArray &pem);

// Reads the private key in `path`, checks that it is a key of `algorithm`
// (type and size; RSA under 2048 bits is refused, RFC 8301 §3.2) and returns
// its p= value, so a record can be checked against the key that signs.
Result<QString> dkimPublicKeyFromFile(const QString &path, DkimAlgorithm algorithm);

// "v=DKIM1; k=rsa; p=..." or "v=DKIM1; k=ed25519; p=..." (RFC 6376 §3.6.1).
QString dkimRecordValue(DkimAlgorithm algorithm, const QString &publicKey);

// The TXT record's character-strings: a DNS string holds at most 255 octets
// (RFC 1035 §3.3), a 2048-bit RSA record is about 400; DKIM verifiers join
// the strings without a separator (RFC 6376 §3.6.2.2).
QStringList dkimZoneStrings(const QString &recordValue);

} // namespace mailroute

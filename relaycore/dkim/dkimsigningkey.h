// A DKIM private key loaded for signing (RFC 6376 §3.3, RFC 8301, RFC 8463).
// Immutable once loaded; sign() may be called from any thread at the same
// time (each call has its own OpenSSL context), so one key loaded on the
// engine thread can sign on the worker pool.
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

struct evp_pkey_st; // OpenSSL's EVP_PKEY, kept out of this header

namespace mailroute {

class DkimSigningKey final
{
public:
    DkimSigningKey() = default;

    // Reads a PEM private key (PKCS#8, or the traditional RSA form). Refused,
    // with a reason: an unreadable file, an encrypted or malformed key, an
    // RSA key under 2048 bits (RFC 8301 §3.2) or of a size other than 2048
    // or 3072, a key of another type, and a key that is not of `expected`
    // when that is given.
    static Result<DkimSigningKey> load(const QString &path,
                                       std::optional<DkimAlgorithm> expected = std::nullopt);
    static Result<DkimSigningKey> fromPem(const QByteArray &pem,
                                          std::optional<DkimAlgorithm> expected = std::nullopt);

    bool isNull() const { return !m_key; }
    DkimAlgorithm algorithm() const { return m_algorithm; }
    bool isEd25519() const { return m_algorithm == DkimAlgorithm::Ed25519; }
    // The a= value: "rsa-sha256" or "ed25519-sha256".
    QByteArray signatureAlgorithm() const;
    // The record's p= value (base64), see dkimkeys.h.
    QString publicKey() const;

    // The signature over `data`: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376
    // §3.3.1), or PureEdDSA over SHA-256(data) (RFC 8463 §3).
    Result<QByteArray> sign(const QByteArray &data) const;

private:
    std::shared_ptr<evp_pkey_st> m_key;
    DkimAlgorithm m_algorithm = DkimAlgorithm::Rsa2048;
};

} // namespace mailroute

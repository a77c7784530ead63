// A self-signed certificate for a first STARTTLS test, made by the openssl
// command line: Qt can load certificates but cannot create them (QSslCertificate
// has no generator), and OpenSSL's C API is not ours to link here. Runs openssl
// with an argument list (no shell) and waits for it; GUI thread (a few hundred ms).
#pragma once

#include "relaycore/routing/result.h"

#include <QCoreApplication>
#include <QString>

namespace mailroute {

struct GeneratedCertificate
{
    QString certificatePath; // PEM, CN and subjectAltName = the host name
    QString keyPath;         // PEM, unencrypted, file mode 0600
};

class SelfSignedCertificate final
{
    Q_DECLARE_TR_FUNCTIONS(SelfSignedCertificate)

public:
    // Writes <directory>/<host>.crt and <host>.key (replacing earlier ones of
    // that host), RSA 2048, valid for `days`. A bad host name, a missing
    // openssl or a failed run is a clear error and leaves no partial files.
    static Result<GeneratedCertificate> generate(const QString &hostName, const QString &directory,
                                                 int days = 365);
};

} // namespace mailroute

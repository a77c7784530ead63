// Where MailRoute keeps its secrets (docs/behaviour.md "Secrets"): the smart
// host's password and the TLS key's passphrase live only in the operating
// system's keychain, never in the database, settings, logs or command lines.
//
// SecretStore is the small interface the engine, mailroutectl and the console
// use; createSystemSecretStore() returns the implementation over QtKeychain
// (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
#pragma once

#include "relaycore/routing/result.h"

#include <QString>

#include <memory>

namespace mailroute {

// The names of the secrets MailRoute keeps.
namespace secretnames {
inline QString smarthostPassword()
{
    return QStringLiteral("smarthost.password");
}
inline QString tlsKeyPassphrase()
{
    return QStringLiteral("tls.key_passphrase");
}
} // namespace secretnames

enum class SecretState {
    Found,      // value holds the secret
    NotFound,   // the keychain works but holds no such secret
    Unavailable // no keychain service (QtKeychain error 7 and the like): error says so, for the admin
};

struct SecretLookup
{
    SecretState state = SecretState::Unavailable;
    QString value; // only when Found; never log it
    QString error; // NotFound / Unavailable: a sentence for the admin, without the secret
};

class SecretStore
{
public:
    virtual ~SecretStore() = default;

    // Blocking calls, usable from any thread that may run a local event loop
    // (the GUI thread, the engine thread, mailroutectl's main thread).
    virtual SecretLookup read(const QString &name) = 0;
    virtual Status write(const QString &name, const QString &value) = 0;
    // Removing a secret that is not there succeeds.
    virtual Status remove(const QString &name) = 0;
};

// The OS keychain through QtKeychain. `scope` keeps the secrets of different
// databases apart (pass the absolute path of the configuration database), so a
// test's database never reads the secrets of the admin's real one.
std::unique_ptr<SecretStore> createSystemSecretStore(const QString &scope);

} // namespace mailroute

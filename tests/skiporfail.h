// One way for a test to say "this machine lacks what I need" (a keychain /
// Secret Service, dnsmasq, an X display, Postfix, swaks, a Python module,
// root for a port below 1024): outside CI it skips, so a developer's
// `ctest` still runs everything else; under CI=true it FAILS with the same
// message, so CI can never pass while testing less than it claims
// (README "Tests in CI"). The shell and Python test scripts do the
// same with tests/skiporfail.sh.
#pragma once

#include <QByteArray>
#include <QString>
#include <QTest>

namespace mailroute::testing {

// CI=true (GitHub Actions, GitLab, .ci/run) or CI=1.
inline bool runningInCi()
{
    const QByteArray ci = qgetenv("CI").trimmed().toLower();
    return ci == "true" || ci == "1" || ci == "yes";
}

inline QString requirementText(const char *what)
{
    return QString::fromUtf8(what);
}

inline QString requirementText(const QString &what)
{
    return what;
}

} // namespace mailroute::testing

// MAILROUTE_REQUIRE(condition, what): in a test function (or init /
// initTestCase), when `condition` is false: QSKIP(what), or under CI=true
// QFAIL("CI=true: required service missing: " what). `what` is a C string
// or a QString naming what is missing and how to provide it.
#define MAILROUTE_REQUIRE(condition, what)                                                                   \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            const QString mailrouteWhat_ = ::mailroute::testing::requirementText(what);                      \
            if (::mailroute::testing::runningInCi())                                                         \
                QFAIL(qPrintable(QStringLiteral("CI=true: required service missing: ") + mailrouteWhat_));   \
            QSKIP(qPrintable(mailrouteWhat_));                                                               \
        }                                                                                                    \
    } while (false)

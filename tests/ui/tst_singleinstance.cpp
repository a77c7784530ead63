// One console per database: a second `mailroute` on the same database asks
// the first to show its window (hidden as in the tray, behind another window)
// and exits 0; another database gets a console of its own; the same file
// spelled through a symbolic link is the same database; a socket left behind
// by a console that crashed is replaced. The first console runs in this
// process (MainWindow + SingleInstance as app/console/main.cpp wires them),
// the second is the real executable.
#include "tests/ui/uitest.h"
#include "ui/mainwindow.h"
#include "ui/singleinstance.h"

#include <QDir>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

using namespace mailroute;
using namespace mailroute::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

struct Started
{
    int code = -1;
    QString out;
    QString err;
};

// Runs the console executable while this process keeps serving its events.
Started runConsole(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(QStringLiteral(MAILROUTE_CONSOLE_BIN), args);
    if (!p.waitForStarted())
        return {};
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return {-1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestSingleInstance final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_runtime;

private slots:
    void initTestCase()
    {
        QVERIFY(m_runtime.isValid());
        // The sockets go to a runtime folder of this test, for the children too.
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_runtime.filePath(u"config"_s)));
    }

    void secondStartShowsTheFirstWindowAndExits()
    {
        TempDb db;
        QVERIFY(db.ok());
        SingleInstance instance(db.path());
        QCOMPARE(instance.claim(), SingleInstance::Claim::First);
        MainWindow window(db.store());
        instance.showOnRequest(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Then hidden, as when closed to the tray, and another window active.
        window.hide();
        QWidget other;
        other.setWindowTitle(u"another application"_s);
        other.resize(300, 200);
        other.show();
        other.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&other));
        QVERIFY(!window.isVisible());

        const Started second = runConsole({u"--db"_s, db.path()});
        QVERIFY2(second.code == 0, qPrintable(second.out + second.err));
        QVERIFY2(second.out.contains(u"already open on"_s), qPrintable(second.out));
        QVERIFY(window.isVisible());
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(!other.isActiveWindow());
    }

    void sameFileThroughALinkIsTheSameDatabase()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkdir(u"real"_s));
        QVERIFY(QFile::link(dir.filePath(u"real"_s), dir.filePath(u"link"_s)));
        const QString a = dir.filePath(u"real/mailroute.db"_s);
        QCOMPARE(SingleInstance::serverName(a),
                 SingleInstance::serverName(dir.filePath(u"link/mailroute.db"_s)));
        QCOMPARE(SingleInstance::serverName(a),
                 SingleInstance::serverName(dir.filePath(u"real/../real/mailroute.db"_s)));
        QVERIFY(SingleInstance::serverName(a) !=
                SingleInstance::serverName(dir.filePath(u"real/other.db"_s)));
        QVERIFY(SingleInstance::serverName(a).startsWith(m_runtime.path()));
    }

    // A console on database A; `mailroute --db B` opens a console of its own,
    // which a third start on B then finds.
    void anotherDatabaseOpensItsOwnConsole()
    {
        TempDb a;
        QVERIFY(a.ok());
        SingleInstance first(a.path());
        QCOMPARE(first.claim(), SingleInstance::Claim::First);
        QSignalSpy askedA(&first, &SingleInstance::showRequested);

        const QString b = a.filePath(u"b/mailroute.db"_s);
        QProcess consoleB;
        consoleB.start(QStringLiteral(MAILROUTE_CONSOLE_BIN), {u"--db"_s, b});
        QVERIFY(consoleB.waitForStarted());
        // Up when its socket answers (bounded; it never asked A).
        QLocalSocket probe;
        QVERIFY(QTest::qWaitFor(
            [&] {
                probe.connectToServer(SingleInstance::serverName(b));
                const bool up = probe.waitForConnected(200);
                probe.abort();
                return up || consoleB.state() == QProcess::NotRunning;
            },
            60000));
        QCOMPARE(consoleB.state(), QProcess::Running);
        QCOMPARE(askedA.count(), 0);

        const Started third = runConsole({u"--db"_s, b});
        QVERIFY2(third.code == 0, qPrintable(third.out + third.err));
        QVERIFY2(third.out.contains(b), qPrintable(third.out));
        QCOMPARE(askedA.count(), 0);
        consoleB.terminate();
        if (!consoleB.waitForFinished(10000)) {
            consoleB.kill();
            consoleB.waitForFinished(5000);
        }
    }

    // The socket file of a console that crashed: nobody listens behind it.
    void staleSocketIsReplaced()
    {
        TempDb db;
        QVERIFY(db.ok());
        const QString name = SingleInstance::serverName(db.path());
        {
            const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
            QVERIFY(fd >= 0);
            sockaddr_un addr{};
            addr.sun_family = AF_UNIX;
            const QByteArray path = QFile::encodeName(name);
            QVERIFY(size_t(path.size()) < sizeof addr.sun_path);
            std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
            QCOMPARE(::bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr), 0);
            QCOMPARE(::listen(fd, 1), 0);
            ::close(fd); // the file stays, nobody listens: what a crash leaves
        }
        QVERIFY(QFileInfo::exists(name));
        SingleInstance instance(db.path());
        QCOMPARE(instance.claim(1000), SingleInstance::Claim::First);
        QSignalSpy asked(&instance, &SingleInstance::showRequested);
        const Started second = runConsole({u"--db"_s, db.path()});
        QVERIFY2(second.code == 0, qPrintable(second.out + second.err));
        QCOMPARE(asked.count(), 1);
    }
};

MAILROUTE_GUI_TEST_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"

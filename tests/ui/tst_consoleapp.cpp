// The `mailroute` executable starts on a fresh database, under the offscreen
// platform (or the X server the suite runs in), and shows its main window
// titled "MailRoute".
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class TestConsoleApp final : public QObject
{
    Q_OBJECT
private slots:
    void startsOnAFreshDatabase()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"fresh/mailroute.db"_s);
        QVERIFY(!QFileInfo::exists(db));
        QProcess console;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!env.contains(u"DISPLAY"_s) && !env.contains(u"WAYLAND_DISPLAY"_s))
            env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        // Its settings go to a scratch home, not the user's.
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        console.setProcessEnvironment(env);
        console.start(QStringLiteral(MAILROUTE_CONSOLE_BIN), {u"--db"_s, db, u"--check-startup"_s});
        QVERIFY2(console.waitForFinished(60000), "mailroute did not exit");
        const QString out = QString::fromUtf8(console.readAllStandardOutput());
        const QString err = QString::fromUtf8(console.readAllStandardError());
        QVERIFY2(console.exitStatus() == QProcess::NormalExit, qPrintable(err));
        QVERIFY2(console.exitCode() == 0, qPrintable(out + err));
        QVERIFY2(out.split(u'\n').contains(u"window: MailRoute"_s), qPrintable(out + err));
        QVERIFY(QFileInfo::exists(db));
    }
};

QTEST_GUILESS_MAIN(TestConsoleApp)
#include "tst_consoleapp.moc"

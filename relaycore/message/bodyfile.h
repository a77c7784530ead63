// The body of a large message kept in a file instead of memory
// (docs/architecture.md "Storage"): the SMTP session writes the text after
// the header section here as it arrives, through a buffer of kBufferSize
// octets, once the message passes kSpillThreshold; the spool links the file
// into its data folder; delivery and DKIM read it back in chunks. A message
// is then its header section in memory (Transaction::data,
// IncomingMessage::data) followed by this file's bytes.
//
// A spill file (create()) is removed when the last reference goes, so a
// refused or abandoned transaction leaves nothing behind; a file opened with
// open() (the spool's copy) is left alone. Writing belongs to one thread;
// once finish() returned, reads (pread) are safe from any thread.
#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace mailroute {

class BodyFile final
{
public:
    // Messages up to this size stay in memory; above it the body spills.
    static constexpr qsizetype kSpillThreshold = 256 * 1024;
    // The write buffer and the read chunk.
    static constexpr qsizetype kBufferSize = 64 * 1024;

    // A new, empty spill file (mode 0600) in `directory` (created mode 0700
    // when missing). Null with `error` set when that fails.
    static std::shared_ptr<BodyFile> create(const QString &directory, QString *error);
    // An existing file, read-only, not removed on destruction.
    static std::shared_ptr<BodyFile> open(const QString &path, QString *error);

    ~BodyFile();
    Q_DISABLE_COPY_MOVE(BodyFile)

    // Buffered writes (spill files only); the first failure sticks.
    bool append(const char *s, qsizetype n);
    // Writes out the buffer; after it the file is complete and read-only.
    bool finish();
    // fsync()s the file's data.
    bool sync() const;
    QString error() const;

    QString path() const;
    qint64 size() const; // octets written (or the file's size when opened)

    // Reads up to `n` octets at `offset`; -1 on error.
    qint64 read(qint64 offset, char *into, qint64 n) const;
    // The body in chunks of at most kBufferSize octets, in order; stops and
    // returns false when `chunk` returns false or a read fails.
    bool forEachChunk(const std::function<bool(const char *, qsizetype)> &chunk) const;
    // The whole body in memory (for the paths that still need it whole).
    QByteArray readAll() const;

private:
    bool writeAll(const char *p, qsizetype n); // sets m_error when it cannot
    BodyFile(QString path, int fd, bool owned, qint64 size);

    QString m_path;
    int m_fd = -1;
    bool m_owned = false; // a spill file: removed with the last reference
    qint64 m_size = 0;
    QByteArray m_buffer;
    QString m_error;
};

using BodyFilePtr = std::shared_ptr<const BodyFile>;

// The size of a message held as `head` plus an optional body file.
inline qint64 messageSize(const QByteArray &head, const BodyFilePtr &body)
{
    return head.size() + (body ? body->size() : 0);
}

// The message whole in memory: `head` followed by the body file's bytes.
QByteArray wholeMessage(const QByteArray &head, const BodyFilePtr &body);

} // namespace mailroute

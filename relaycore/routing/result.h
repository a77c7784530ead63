// A value or a human-readable reason why there is none. Reasons are English
// and untranslated: mailroutectl prints them as they are, the console shows them.
#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace mailroute {

template <typename T> struct Result
{
    std::optional<T> value;
    QString error;

    bool ok() const { return value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &operator*() const { return *value; }
    T &operator*() { return *value; }
    const T *operator->() const { return &*value; }

    static Result success(T v) { return Result{std::move(v), {}}; }
    static Result failure(QString why) { return Result{std::nullopt, std::move(why)}; }
};

struct Done
{};
using Status = Result<Done>;
inline Status okStatus()
{
    return Status::success(Done{});
}

} // namespace mailroute

// OpenSSL reports failures on a per-thread error queue. Every security call
// site clears it before calling OpenSSL and drains it after a failure, so an
// error left by one engine (or one OpenSSL call) is never blamed on another.
#ifndef SIPBED_OPENSSL_ERROR_H
#define SIPBED_OPENSSL_ERROR_H

#include <string>

namespace sipbed
{

/// The reason of the oldest queued error ("ee key too small", "wrong version
/// number"), or `fallback` when the queue is empty; empties the queue.
std::string TakeOpenSslError(const std::string& fallback = "unknown OpenSSL error");

/// The reason text of one packed error code (ERR_get_error()).
std::string OpenSslReason(unsigned long code);

} // namespace sipbed

#endif

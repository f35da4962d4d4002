#include "results-directory.h"

#include "scenario-errors.h"

#include <fcntl.h> // AT_FDCWD
#include <stdio.h> // renameat2, RENAME_NOREPLACE (glibc >= 2.28, _GNU_SOURCE)
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace sipbed
{

namespace fs = std::filesystem;

ResultsDirectory::ResultsDirectory(fs::path final)
    : m_final(std::move(final))
{
    fs::path parent = m_final.parent_path();
    if (parent.empty())
    {
        parent = ".";
    }
    // Remember which parents we make, to remove them again on failure.
    std::vector<fs::path> missing;
    for (fs::path p = parent; !p.empty() && !fs::exists(p); p = p.parent_path())
    {
        missing.push_back(p);
        if (p == p.parent_path())
        {
            break;
        }
    }
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
    {
        throw RunError("cannot create directory '" + parent.string() + "': " + ec.message());
    }
    m_created.assign(missing.rbegin(), missing.rend());

    std::string pattern =
        (parent / ("." + m_final.filename().string() + ".partial-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
    {
        const std::string reason = std::strerror(errno);
        for (auto it = m_created.rbegin(); it != m_created.rend(); ++it)
        {
            fs::remove(*it, ec);
        }
        throw RunError("cannot create a results directory in '" + parent.string() + "': " + reason);
    }
    m_temporary = pattern;
    // mkdtemp makes the directory 0700; give the results the usual permissions.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(m_temporary.c_str(), 0777 & ~mask);
}

ResultsDirectory::~ResultsDirectory()
{
    if (m_committed)
    {
        return;
    }
    std::error_code ec;
    fs::remove_all(m_temporary, ec);
    // Innermost first; fs::remove does not remove a non-empty directory.
    for (auto it = m_created.rbegin(); it != m_created.rend(); ++it)
    {
        fs::remove(*it, ec);
    }
}

const fs::path&
ResultsDirectory::GetTemporaryPath() const
{
    return m_temporary;
}

const fs::path&
ResultsDirectory::GetFinalPath() const
{
    return m_final;
}

void
ResultsDirectory::Commit()
{
    if (::renameat2(AT_FDCWD, m_temporary.c_str(), AT_FDCWD, m_final.c_str(), RENAME_NOREPLACE) !=
        0)
    {
        if (errno == EEXIST || errno == ENOTEMPTY)
        {
            throw RunError("results directory '" + m_final.string() +
                           "' appeared during the run; not replacing it");
        }
        if (errno != EINVAL && errno != ENOSYS)
        {
            throw RunError("cannot rename '" + m_temporary.string() + "' to '" + m_final.string() +
                           "': " + std::strerror(errno));
        }
        // A file system without RENAME_NOREPLACE: check, then rename (racy, but only there).
        if (fs::exists(m_final))
        {
            throw RunError("results directory '" + m_final.string() +
                           "' appeared during the run; not replacing it");
        }
        std::error_code ec;
        fs::rename(m_temporary, m_final, ec);
        if (ec)
        {
            throw RunError("cannot rename '" + m_temporary.string() + "' to '" + m_final.string() +
                           "': " + ec.message());
        }
    }
    m_committed = true;
}

} // namespace sipbed

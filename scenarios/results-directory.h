#ifndef SIPBED_SCENARIOS_RESULTS_DIRECTORY_H
#define SIPBED_SCENARIOS_RESULTS_DIRECTORY_H

#include <filesystem>
#include <vector>

namespace sipbed
{

/**
 * A results directory being written: created under a temporary name in the
 * final directory's parent (`.NAME.partial-XXXXXX`, hidden so that a
 * listing of results/ never shows a half-written run), renamed to its final
 * name by Commit. If it is destroyed without Commit (an exception, a
 * cancelled run), the temporary directory is removed, and so are the parent
 * directories it created if they are empty again. So a results directory
 * either exists complete or does not exist (a process killed outright can
 * leave a hidden .partial directory behind).
 */
class ResultsDirectory
{
  public:
    /**
     * Create the parents of \p final as needed and the temporary directory.
     *
     * \param final where the results go; must not exist
     * \throw RunError if a directory cannot be created
     */
    explicit ResultsDirectory(std::filesystem::path final);

    ResultsDirectory(const ResultsDirectory&) = delete;
    ResultsDirectory& operator=(const ResultsDirectory&) = delete;

    /// Remove the temporary directory unless committed.
    ~ResultsDirectory();

    /// \return the temporary directory, to write into.
    const std::filesystem::path& GetTemporaryPath() const;

    /// \return the final path.
    const std::filesystem::path& GetFinalPath() const;

    /**
     * Rename the temporary directory to the final path, which must still not
     * exist (renameat2 with RENAME_NOREPLACE: never replaces anything).
     *
     * \throw RunError if the rename fails (the temporary directory is then
     *        removed by the destructor)
     */
    void Commit();

  private:
    std::filesystem::path m_final;                //!< final path
    std::filesystem::path m_temporary;            //!< where it is written
    std::vector<std::filesystem::path> m_created; //!< parents we created, outermost first
    bool m_committed{false};                      //!< renamed
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_RESULTS_DIRECTORY_H

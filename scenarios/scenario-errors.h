#ifndef SIPBED_SCENARIOS_SCENARIO_ERRORS_H
#define SIPBED_SCENARIOS_SCENARIO_ERRORS_H

#include <stdexcept>
#include <string>

namespace sipbed
{

/**
 * Bad input to a run: unknown scenario, unknown parameter, a value of the
 * wrong type or out of range, an unreadable or malformed config file, an
 * results directory that already exists. Thrown before anything is written;
 * the command line exits with status 2, the Python binding raises ValueError.
 */
class BadInputError : public std::invalid_argument
{
  public:
    using std::invalid_argument::invalid_argument;
};

/**
 * A bad parameter value or name. The message names the parameter and says
 * what is accepted ("parameter 'uas': 0 is out of range: expected an integer
 * in [1, 100000]").
 */
class ParameterError : public BadInputError
{
  public:
    /**
     * \param parameter the parameter's name
     * \param message the full message (naming the parameter)
     */
    ParameterError(std::string parameter, const std::string& message)
        : BadInputError(message)
        , m_parameter(std::move(parameter))
    {
    }

    /// \return the parameter's name.
    const std::string& GetParameter() const
    {
        return m_parameter;
    }

  private:
    std::string m_parameter; //!< the parameter at fault
};

/**
 * A failure inside a run (a scenario threw, a file could not be written).
 * The temporary results directory is removed; the command line exits with
 * status 1, the Python binding raises RuntimeError.
 */
class RunError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/**
 * The run was stopped because RunOptions::cancelRequested returned true
 * (Ctrl-C on the command line, KeyboardInterrupt in Python). The temporary
 * results directory is removed.
 */
class RunCancelled : public RunError
{
  public:
    using RunError::RunError;
};

} // namespace sipbed

#endif // SIPBED_SCENARIOS_SCENARIO_ERRORS_H

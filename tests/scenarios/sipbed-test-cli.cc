// The sipbed command line with the test-only scenarios registered
// (build/tests/sipbed-test-cli): what the pytest suite runs to exercise
// `sipbed run` without shipping test scenarios in the real program.

#include "scenarios/cli.h"

#include "test-scenarios.h"

int
main(int argc, char** argv)
{
    sipbed::RegisterTestScenarios();
    return sipbed::SipbedMain(argc, argv);
}

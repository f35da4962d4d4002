// The sipbed program; the command line itself is SipbedMain (cli-main.cc).

#include "cli.h"

int
main(int argc, char** argv)
{
    return sipbed::SipbedMain(argc, argv);
}

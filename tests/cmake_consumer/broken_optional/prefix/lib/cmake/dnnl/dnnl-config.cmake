# A broken package config, as Debian's oneDNN config is without the OpenCL development files.
find_package(SparqSurelyMissingDependency REQUIRED)

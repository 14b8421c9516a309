"""The CUDA machine: which torch build `make setup` installs (torch_wheel), what `make doctor`
checks (doctor), and the fallbacks for a machine without a C toolchain (toolchain)."""

// Placeholder so the SRIOVLibvirt target compiles on the attach branch before its owner lands code.
// Delete when the target has real sources on main.

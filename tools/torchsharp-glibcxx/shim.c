/* Defines std::ios_base_library_init() (mangled _ZSt21ios_base_library_initv) for a libstdc++ older than GCC 13's.
   GCC 13 emits a reference to it from every translation unit that includes <iostream>, to make the linker pull in
   the library that constructs std::cout and friends; it does nothing a caller depends on. An older libstdc++
   constructs those streams by itself, so an empty function is a faithful stand-in. */
void wce_ios_base_library_init(void) __asm__("_ZSt21ios_base_library_initv");
void wce_ios_base_library_init(void) {}

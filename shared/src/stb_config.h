// stb configuration shared by stb_impl.cpp (which compiles stb) and the files that call it, so that both see the
// same declarations. Include this instead of defining these macros anywhere else.
#pragma once
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO

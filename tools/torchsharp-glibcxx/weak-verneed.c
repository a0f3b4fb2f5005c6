/* weak-verneed FILE VERSION: sets VER_FLG_WEAK on every need of VERSION (e.g. GLIBCXX_3.4.32) in FILE's
   .gnu.version_r section, so that the dynamic loader accepts a library that does not define that version.
   ELF64 little-endian only (the x86-64 and arm64 Linux libraries this is for). Exit status: 0 when at least one
   need was marked or already weak, 1 when FILE has no such need, 2 on error. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)*size);
    if (!data || fread(data, 1, (size_t)*size, f) != (size_t)*size) { fclose(f); free(data); return NULL; }
    fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: weak-verneed FILE VERSION\n"); return 2; }
    long size;
    unsigned char *data = read_file(argv[1], &size);
    if (!data) return 2;
    Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
    if (size < (long)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64
        || eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_shoff + (Elf64_Off)eh->e_shnum * sizeof(Elf64_Shdr) > (Elf64_Off)size)
    {
        fprintf(stderr, "%s: not a 64-bit little-endian ELF file\n", argv[1]);
        return 2;
    }
    Elf64_Shdr *sh = (Elf64_Shdr *)(data + eh->e_shoff);
    int found = 0;
    for (int i = 0; i < eh->e_shnum; i++)
    {
        if (sh[i].sh_type != SHT_GNU_verneed) continue;
        const char *strtab = (const char *)(data + sh[sh[i].sh_link].sh_offset);
        Elf64_Off off = sh[i].sh_offset;
        for (;;)
        {
            Elf64_Verneed *vn = (Elf64_Verneed *)(data + off);
            Elf64_Off aux = off + vn->vn_aux;
            for (int j = 0; j < vn->vn_cnt; j++)
            {
                Elf64_Vernaux *va = (Elf64_Vernaux *)(data + aux);
                if (strcmp(strtab + va->vna_name, argv[2]) == 0)
                {
                    va->vna_flags |= VER_FLG_WEAK;
                    found = 1;
                }
                if (va->vna_next == 0) break;
                aux += va->vna_next;
            }
            if (vn->vn_next == 0) break;
            off += vn->vn_next;
        }
    }
    if (!found) { free(data); return 1; }
    FILE *f = fopen(argv[1], "r+b");
    if (!f || fwrite(data, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0) { perror(argv[1]); return 2; }
    free(data);
    return 0;
}

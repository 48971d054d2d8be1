# SPDX-License-Identifier: MIT
# The GRUB 2 rescue ISO, images/xenolith.iso: the hypervisor and the demo guest booted through Multiboot2.
#
# grub-mkrescue (Debian: grub-common, with grub-pc-bin for BIOS machines, xorriso and
# mtools) turns a staging folder into a bootable ISO; the staging folder holds
#   boot/grub/grub.cfg     from hypervisor/boot/grub.cfg.in
#   boot/xenolith.elf      the hypervisor
#   boot/minios-demo.elf   domain 0
# The ISO is part of ALL (so `make test` can boot it) and is rebuilt when either image
# or the template changes; `make iso` builds only this target. It takes about a second.

find_program(XENOLITH_GRUB_MKRESCUE grub-mkrescue)
find_program(XENOLITH_XORRISO xorriso)
find_program(XENOLITH_MFORMAT mformat)
set(XENOLITH_GRUB_PC_DIR /usr/lib/grub/i386-pc)  # GRUB's BIOS platform files
if(NOT XENOLITH_GRUB_MKRESCUE OR NOT XENOLITH_XORRISO OR NOT XENOLITH_MFORMAT
        OR NOT EXISTS ${XENOLITH_GRUB_PC_DIR}/moddep.lst)
    message(FATAL_ERROR "The ISO needs grub-mkrescue, xorriso, mformat and ${XENOLITH_GRUB_PC_DIR}: "
        "install the Debian packages grub-common grub-pc-bin xorriso mtools (scripts/install-deps)")
endif()

set(XENOLITH_ISO ${XENOLITH_IMAGES_DIR}/xenolith.iso)
set(XENOLITH_ISO_ROOT ${CMAKE_BINARY_DIR}/iso-root)
set(XENOLITH_ISO_GRUB_CFG ${XENOLITH_ISO_ROOT}/boot/grub/grub.cfg)
set(XENOLITH_ISO_TEMPLATE ${PROJECT_SOURCE_DIR}/hypervisor/boot/grub.cfg.in)

# Configure-time copy: CMake re-runs it when the template changes.
configure_file(${XENOLITH_ISO_TEMPLATE} ${XENOLITH_ISO_GRUB_CFG} COPYONLY)

# DEPENDS on the two targets: built first, and the ISO is rebuilt whenever either
# image is relinked. --locales/--fonts/--themes left empty: GRUB only talks on serial.
add_custom_command(OUTPUT ${XENOLITH_ISO}
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:xenolith> $<TARGET_FILE:minios-demo> ${XENOLITH_ISO_ROOT}/boot/
    COMMAND ${XENOLITH_GRUB_MKRESCUE} --directory=${XENOLITH_GRUB_PC_DIR} --locales= --fonts= --themes=
            --output=${XENOLITH_ISO} ${XENOLITH_ISO_ROOT} -quiet
    DEPENDS xenolith minios-demo ${XENOLITH_ISO_GRUB_CFG}
    COMMENT "Building the GRUB 2 rescue ISO ${XENOLITH_ISO}"
    VERBATIM)
add_custom_target(iso ALL DEPENDS ${XENOLITH_ISO})

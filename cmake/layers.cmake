# pjsim_layer(NAME [DIR dir] [RECURSIVE] [HEADERS_ONLY] [PLUGINS] [EXCLUDE files...]
#             [DEPENDS deps...] [PRIVATE_DEPENDS deps...])
# One library per source folder (default sim/NAME), target pjsim_NAME. DEPENDS lists the other
# layers (by NAME) and external targets it may use; a layer's files may include headers of the
# layers it depends on, directly or transitively, and of no other (tools/check_layers.py checks it
# at build time). PLUGINS: the folder holds implementations that register themselves by name from
# static initialisers, so every program links the whole archive (nothing is dropped by the linker).
set_property(GLOBAL PROPERTY PJSIM_LAYERS "")
set_property(GLOBAL PROPERTY PJSIM_PLUGIN_LAYERS "")

function(pjsim_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 L "RECURSIVE;HEADERS_ONLY;PLUGINS" "DIR"
                        "DEPENDS;PRIVATE_DEPENDS;EXCLUDE")
  if(NOT L_DIR)
    set(L_DIR sim/${name})
  endif()
  set(target pjsim_${name})
  get_property(plugin_layers GLOBAL PROPERTY PJSIM_PLUGIN_LAYERS)
  set(links "")
  set(layer_deps "")
  get_property(layers GLOBAL PROPERTY PJSIM_LAYERS)
  foreach(dep IN LISTS L_DEPENDS)
    if(dep IN_LIST layers)
      list(APPEND layer_deps ${dep})
      if(dep IN_LIST plugin_layers)
        list(APPEND links "$<LINK_LIBRARY:WHOLE_ARCHIVE,pjsim_${dep}>")
      else()
        list(APPEND links pjsim_${dep})
      endif()
    elseif(TARGET ${dep})
      list(APPEND links ${dep})
    else()
      message(FATAL_ERROR "pjsim_layer(${name}): '${dep}' is neither a layer defined before it "
                          "nor a target")
    endif()
  endforeach()
  if(L_HEADERS_ONLY)
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${links})
  else()
    if(L_RECURSIVE)
      file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${L_DIR}/*.cpp)
    else()
      file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${L_DIR}/*.cpp)
    endif()
    foreach(x IN LISTS L_EXCLUDE)
      list(REMOVE_ITEM sources ${PROJECT_SOURCE_DIR}/${L_DIR}/${x})
    endforeach()
    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${links} PRIVATE ${L_PRIVATE_DEPENDS} pjsim_warnings)
  endif()
  set_property(GLOBAL APPEND PROPERTY PJSIM_LAYERS ${name})
  if(L_PLUGINS)
    set_property(GLOBAL APPEND PROPERTY PJSIM_PLUGIN_LAYERS ${name})
  endif()
  string(REPLACE ";" "," deps_text "${layer_deps}")
  set(recursive 0)
  if(L_RECURSIVE)
    set(recursive 1)
  endif()
  set_property(GLOBAL APPEND PROPERTY PJSIM_LAYER_LINES "${name} ${L_DIR} ${recursive} ${deps_text}")
endfunction()

# Links `target` to layers, whole-archive for those that hold plug-ins.
function(pjsim_link_layers target scope)
  get_property(plugin_layers GLOBAL PROPERTY PJSIM_PLUGIN_LAYERS)
  foreach(dep IN LISTS ARGN)
    if(dep IN_LIST plugin_layers)
      target_link_libraries(${target} ${scope} "$<LINK_LIBRARY:WHOLE_ARCHIVE,pjsim_${dep}>")
    else()
      target_link_libraries(${target} ${scope} pjsim_${dep})
    endif()
  endforeach()
endfunction()

# Writes the layer table and builds the check with every full build (target pjsim_layering).
function(pjsim_layer_check)
  get_property(lines GLOBAL PROPERTY PJSIM_LAYER_LINES)
  string(REPLACE ";" "\n" text "${lines}")
  file(WRITE ${PROJECT_BINARY_DIR}/layers.txt "${text}\n")
  set(watched "")
  foreach(line IN LISTS lines)
    string(REPLACE " " ";" fields "${line}")
    list(GET fields 1 dir)
    file(GLOB_RECURSE files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.h
         ${PROJECT_SOURCE_DIR}/${dir}/*.cpp)
    list(APPEND watched ${files})
  endforeach()
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/layering.ok
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/check_layers.py
            ${PROJECT_BINARY_DIR}/layers.txt --root ${PROJECT_SOURCE_DIR}
    COMMAND ${CMAKE_COMMAND} -E touch ${PROJECT_BINARY_DIR}/layering.ok
    DEPENDS ${watched} ${PROJECT_BINARY_DIR}/layers.txt ${PROJECT_SOURCE_DIR}/tools/check_layers.py
    COMMENT "Checking that no include runs back up the layers (tools/check_layers.py)"
    VERBATIM)
  add_custom_target(pjsim_layering ALL DEPENDS ${PROJECT_BINARY_DIR}/layering.ok)
endfunction()

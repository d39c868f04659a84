/* SPDX-License-Identifier: MIT */
/*
 * What the agent asks dockerd itself: its version and how many containers
 * run, over the Engine API on /run/docker.sock. Only when docker.service is active: a connection to the
 * socket would otherwise start docker through socket activation.
 */
#pragma once

#include "error.h"

/* *ret: "20.10.24+dfsg1"; *ret_major: 20. */
int docker_api_version(char **ret, unsigned *ret_major, struct tether_error *error);

/* *ret: how many containers run now. */
int docker_api_running_containers(unsigned *ret, struct tether_error *error);

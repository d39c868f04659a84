/* SPDX-License-Identifier: MIT */
/*
 * A fixed pool of worker threads running host jobs. Each worker owns one
 * libssh session at a time and writes only its own host's result; the
 * finished() callback runs on the worker, under the pool's lock, so it may
 * print and count without a lock of its own.
 */
#pragma once

#include <signal.h>
#include <stddef.h>

#include "host-job.h"

struct pool_run {
        const struct run_config *config;
        struct host_result **results; /* the hosts to run, in order */
        size_t n;
        unsigned parallel;
        volatile sig_atomic_t *stop;  /* set: start no more hosts */
        volatile sig_atomic_t *abort; /* set: return at once, leave running hosts */
        void (*finished)(struct host_result *result, void *userdata);
        void *userdata;
};

/* Runs every host (or until *stop). Hosts not started keep started and
 * done false. Returns 0, also when it returns early on *abort, with
 * workers still running: the caller must then only read results whose
 * done flag it reads through pool_result_done(). Returns -ENOMEM, or
 * pthread_create()'s error when not one worker could be started: then no
 * host ran. */
int pool_run(const struct pool_run *run);

bool pool_result_done(const struct host_result *result);
bool pool_result_started(const struct host_result *result);

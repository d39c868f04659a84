/* SPDX-License-Identifier: MIT */
/*
 * The worker pool (see pool.h). Workers take the next host under one mutex;
 * the main thread waits on a condition variable in short slices so that a
 * second Ctrl-C (abort) is noticed while hosts are still running.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "pool.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;

struct pool_state {
        const struct pool_run *run;
        size_t next;
        size_t finished;
        unsigned workers_left;
};

bool pool_result_done(const struct host_result *result) {
        bool done;

        pthread_mutex_lock(&lock);
        done = result->done;
        pthread_mutex_unlock(&lock);
        return done;
}

bool pool_result_started(const struct host_result *result) {
        bool started;

        pthread_mutex_lock(&lock);
        started = result->started;
        pthread_mutex_unlock(&lock);
        return started;
}

static void *worker(void *userdata) {
        struct pool_state *state = userdata;
        const struct pool_run *run = state->run;

        for (;;) {
                struct host_result *result;

                pthread_mutex_lock(&lock);
                if (state->next >= run->n || (run->stop && *run->stop)) {
                        state->workers_left--;
                        pthread_cond_broadcast(&all_done);
                        pthread_mutex_unlock(&lock);
                        return NULL;
                }
                result = run->results[state->next++];
                result->started = true;
                pthread_mutex_unlock(&lock);

                host_job_run(run->config, result);

                pthread_mutex_lock(&lock);
                result->done = true;
                state->finished++;
                if (run->finished)
                        run->finished(result, run->userdata);
                pthread_mutex_unlock(&lock);
        }
}

int pool_run(const struct pool_run *run) {
        unsigned n_workers = run->parallel < run->n ? run->parallel : (unsigned)run->n;
        struct pool_state *state;
        pthread_t *threads;
        pthread_attr_t attributes;
        unsigned created = 0;
        int r = 0;

        if (n_workers == 0)
                return 0;
        /* Leaked on abort on purpose: workers still running may use it. */
        state = calloc(1, sizeof(*state));
        threads = calloc(n_workers, sizeof(pthread_t));
        if (!state || !threads) {
                free(state);
                free(threads);
                return -ENOMEM;
        }
        state->run = run;

        pthread_attr_init(&attributes);
        /* libssh's crypto and the agent's JSON need little stack. */
        pthread_attr_setstacksize(&attributes, 512 * 1024);
        pthread_mutex_lock(&lock);
        for (unsigned i = 0; i < n_workers; i++) {
                int error = pthread_create(&threads[created], &attributes, worker, state);

                if (error == 0)
                        created++;
                else
                        r = -error;
        }
        state->workers_left = created;
        pthread_attr_destroy(&attributes);

        while (state->workers_left > 0) {
                struct timespec until;

                if (run->abort && *run->abort) {
                        pthread_mutex_unlock(&lock);
                        free(threads);
                        return 0;
                }
                clock_gettime(CLOCK_REALTIME, &until);
                until.tv_nsec += 100 * 1000 * 1000;
                if (until.tv_nsec >= 1000000000L) {
                        until.tv_sec++;
                        until.tv_nsec -= 1000000000L;
                }
                pthread_cond_timedwait(&all_done, &lock, &until);
        }
        pthread_mutex_unlock(&lock);

        for (unsigned i = 0; i < created; i++)
                pthread_join(threads[i], NULL);
        free(threads);
        free(state);
        /* Fewer workers than asked for still ran every host; none ran none. */
        return created > 0 ? 0 : r;
}

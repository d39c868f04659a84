/* SPDX-License-Identifier: MIT */
/* The inventory parser: tether's format, ansible-inventory --list, and the Ansible variables tether refuses.
 */
#include "fuzz.h"
#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct tether_inventory *inventory = NULL;

        if (tether_inventory_parse((const char *)data, size, "fuzz", &inventory, NULL) == 0) {
                json_t *json = tether_inventory_to_json(inventory);

                for (size_t i = 0; i < inventory->n_hosts; i++)
                        (void)tether_inventory_find(inventory, inventory->hosts[i].name);
                json_decref(json);
                tether_inventory_free(inventory);
        }
        return 0;
}

# Run on a fleet host as ssh's command: one line for each unit that is
# failed, with systemd's result and the last lines its journal has of this
# boot, so that a log says why without anyone logging in.
systemctl list-units --state=failed --plain --no-legend | while read -r unit _; do
        result=$(systemctl show -p Result --value "$unit")
        journal=$(journalctl -q -b -u "$unit" -n 5 -o cat 2>/dev/null | paste -s -d '|' -)
        echo "$unit (result $result): ${journal:-nothing in its journal}"
done

// An atomic count next to a wait queue, but nobody waits for the count
// to drain: not a drain gate.
struct port {
	atomic_t pending;
	wait_queue_head_t rx_wq;
};

void port_rx(struct port *p)
{
	atomic_dec(&p->pending);
	wake_up_all(&p->rx_wq);
}

void port_wait(struct port *p)
{
	wait_event(p->rx_wq, rx_ready(p));
}

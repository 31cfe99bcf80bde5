#!/usr/bin/perl
# A real ESME for tests: Net::SMPP (Debian libnet-smpp-perl 1.19) driven by
# JSON lines. It reads one command per line on stdin and writes one result per
# line on stdout. tests/support/netsmpp.ts wraps it with types.
#
# Net::SMPP builds and parses every PDU. This program only moves the bytes: it
# sends in Net::SMPP's asynchronous mode (each request method returns its
# sequence_number) and frames the inbound stream itself, with a deadline, then
# hands each complete PDU to Net::SMPP's own decoders (pdu_tab and
# decode_optional_params). The reason is that Net::SMPP's read_pdu() blocks
# without a timeout, and its synchronous mode silently drops a deliver_sm that
# arrives while it waits for a submit_sm_resp (see "wait_pdu" in its POD).
# Here such PDUs are queued for wait_deliver and read_pdu instead.
#
# Commands ({"cmd": NAME, ...}); every request takes an optional timeout_ms
# (default 5000) and sequence_number (default: Net::SMPP's counter):
#   connect      {host, port}
#   bind         {mode: transceiver|transmitter|receiver, system_id, password,
#                 system_type, interface_version, addr_ton, addr_npi, address_range}
#   submit_sm    {SMPP 3.4 §4.4.1 fields, short_message_hex, tlvs}
#   data_sm      {§4.7.1 fields, tlvs}
#   submit_multi {§4.5.1 fields, dests: [{destination_addr, dest_addr_ton,
#                 dest_addr_npi} | {dl_name}], short_message_hex, tlvs}
#   query_sm     {message_id, source_addr_ton, source_addr_npi, source_addr}
#   cancel_sm    {service_type, message_id, source_*, dest_*, destination_addr}
#   replace_sm   {message_id, source_*, schedule_delivery_time, validity_period,
#                 registered_delivery, sm_default_msg_id, short_message_hex}
#   enquire_link {}
#   unbind       {keep_open}      closes the socket after unbind_resp unless keep_open
#   wait_deliver {timeout_ms, resp_status, resp_message_id, no_resp}
#   raw          {hex}            writes the octets as they are
#   read_pdu     {timeout_ms}     the next PDU of any kind, not answered
#   disconnect   {}               closes the socket without unbind
#
# tlvs is an object: NAME_hex (octets, for any tag Net::SMPP names),
# NAME: integer (for the integer TLVs of SMPP 3.4 §5.3.2, packed at their
# size), NAME: string (octets as given), and raw: [{tag, hex}] for other tags.
#
# The first output line is {"ready": true, "net_smpp_version": V}.
# Results carry command_status, sequence_number, command_id, command and
# the decoded fields (octet fields as *_hex, TLVs in tlvs as NAME: hex).
# Failures are {"error": TEXT, "kind": "timeout"|"closed"|"usage"|"failed"}.

use strict;
use warnings;
use Net::SMPP;
use JSON::PP;
use IO::Select;
use Socket qw(IPPROTO_TCP TCP_NODELAY);
use Time::HiRes qw(time);

$SIG{PIPE} = 'IGNORE';    # a closed socket must become an error result, not a silent exit
$| = 1;
binmode STDIN;
binmode STDOUT;

use constant HEADER_BYTES    => 16;
use constant MAX_PDU_BYTES   => 70000;    # above any legal PDU (message_payload <= 64 KiB)
use constant DEFAULT_TIMEOUT => 5000;
use constant CMD_GENERIC_NACK => 0x80000000;
use constant RESPONSE_BIT     => 0x80000000;

my $json = JSON::PP->new->utf8->canonical;
my $smpp;          # the Net::SMPP socket object, undef when not connected
my $rbuf = '';     # octets read but not yet framed
my @queue;         # PDUs received while waiting for something else

# Integer TLVs of SMPP 3.4 §5.3.2 with their pack formats (C: 1 octet, n: 2, N: 4).
my %INT_TLV = (
    dest_addr_subunit => 'C', source_addr_subunit => 'C', dest_network_type => 'C',
    source_network_type => 'C', dest_bearer_type => 'C', source_bearer_type => 'C',
    dest_telematics_id => 'n', source_telematics_id => 'C', qos_time_to_live => 'N',
    payload_type => 'C', ms_msg_wait_facilities => 'C', privacy_indicator => 'C',
    user_message_reference => 'n', user_response_code => 'C', source_port => 'n',
    destination_port => 'n', sar_msg_ref_num => 'n', language_indicator => 'C',
    sar_total_segments => 'C', sar_segment_seqnum => 'C', sc_interface_version => 'C',
    callback_num_pres_ind => 'C', number_of_messages => 'C', dpf_result => 'C',
    set_dpf => 'C', ms_availability_status => 'C', delivery_failure_reason => 'C',
    more_messages_to_send => 'C', message_state => 'C', display_time => 'C',
    sms_signal => 'n', ms_validity => 'C', its_reply_type => 'C', ussd_service_op => 'C',
);

# Mandatory fields that are integers on the wire; every other field is a string.
my %INT_FIELD = map { $_ => 1 } qw(
    source_addr_ton source_addr_npi dest_addr_ton dest_addr_npi esm_class protocol_id
    priority_flag registered_delivery replace_if_present_flag data_coding
    sm_default_msg_id interface_version addr_ton addr_npi message_state error_code
    number_of_dests no_unsuccess esme_addr_ton esme_addr_npi
);

my @SUBMIT_FIELDS = qw(service_type source_addr_ton source_addr_npi source_addr
    dest_addr_ton dest_addr_npi destination_addr esm_class protocol_id priority_flag
    schedule_delivery_time validity_period registered_delivery replace_if_present_flag
    data_coding sm_default_msg_id);
my @DATA_SM_FIELDS = qw(service_type source_addr_ton source_addr_npi source_addr
    dest_addr_ton dest_addr_npi destination_addr esm_class registered_delivery data_coding);
my @MULTI_FIELDS = grep { !/^dest_addr_|^destination_addr$/ } @SUBMIT_FIELDS;
my @QUERY_FIELDS  = qw(message_id source_addr_ton source_addr_npi source_addr);
my @CANCEL_FIELDS = qw(service_type message_id source_addr_ton source_addr_npi source_addr
    dest_addr_ton dest_addr_npi destination_addr);
my @REPLACE_FIELDS = qw(message_id source_addr_ton source_addr_npi source_addr
    schedule_delivery_time validity_period registered_delivery sm_default_msg_id);
my @BIND_FIELDS = qw(system_id password system_type interface_version addr_ton addr_npi
    address_range);
my @COMMON = qw(cmd timeout_ms sequence_number);

sub fail {
    my ($kind, $message) = @_;
    die { kind => $kind, message => $message };
}

# Rejects keys the command does not know, so that a typo in a test fails loudly.
sub check_keys {
    my ($c, @allowed) = @_;
    my %ok = map { $_ => 1 } @COMMON, @allowed;
    for my $k (sort keys %$c) {
        fail('usage', "Cannot run $c->{cmd}: unknown key \"$k\"") unless $ok{$k};
    }
}

sub from_hex {
    my ($what, $hex) = @_;
    $hex = '' unless defined $hex;
    fail('usage', "Cannot read $what: \"$hex\" is not an even number of hex digits")
        unless $hex =~ /\A(?:[0-9a-fA-F]{2})*\z/;
    return pack('H*', $hex);
}

sub octets {
    my ($what, $s) = @_;
    fail('usage', "Cannot send $what: it has characters above U+00FF; use ${what}_hex")
        if $s =~ /[^\x00-\xff]/;
    return "$s";
}

sub need_connection {
    fail('usage', 'Cannot send: not connected (send connect first)') unless $smpp;
}

sub timeout_ms {
    my ($c) = @_;
    return defined $c->{timeout_ms} ? $c->{timeout_ms} : DEFAULT_TIMEOUT;
}

# Net::SMPP option list for the mandatory fields present in the command.
sub field_args {
    my ($c, @names) = @_;
    my @args;
    for my $n (@names) {
        next unless exists $c->{$n};
        my $v = $c->{$n};
        push @args, $n => ($INT_FIELD{$n} ? 0 + $v : octets($n, $v));
    }
    push @args, seq => 0 + $c->{sequence_number} if defined $c->{sequence_number};
    return @args;
}

# Net::SMPP option list for the TLVs, sorted by tag. Net::SMPP sends a named
# parameter's value as it is, and packs a numeric tag's value as an integer;
# raw tags therefore get a temporary name in its %param_by_name table.
sub tlv_args {
    my ($tlvs) = @_;
    return () unless $tlvs;
    fail('usage', 'Cannot read tlvs: it must be an object') unless ref $tlvs eq 'HASH';
    my $by_name = \%Net::SMPP::param_by_name;
    my @items;    # [tag, name, value]
    for my $key (sort keys %$tlvs) {
        my $v = $tlvs->{$key};
        if ($key eq 'raw') {
            for my $t (@$v) {
                my $name = sprintf('raw_tlv_%04x', $t->{tag});
                $by_name->{$name} = 0 + $t->{tag};
                push @items, [$t->{tag}, $name, from_hex("raw tag $t->{tag}", $t->{hex})];
            }
        } elsif ($key =~ /\A(\w+)_hex\z/ && $by_name->{$1}) {
            push @items, [$by_name->{$1}, $1, from_hex($key, $v)];
        } elsif ($INT_TLV{$key}) {
            push @items, [$by_name->{$key}, $key, pack($INT_TLV{$key}, $v)];
        } elsif ($by_name->{$key} && !ref $v) {
            push @items, [$by_name->{$key}, $key, octets($key, $v)];
        } else {
            fail('usage', "Cannot encode TLV \"$key\": Net::SMPP has no tag of that name");
        }
    }
    return map { ($_->[1], $_->[2]) } sort { $a->[0] <=> $b->[0] } @items;
}

# --- Reading -------------------------------------------------------------

sub command_name {
    my ($id) = @_;
    my $t = Net::SMPP::pdu_tab()->{$id};
    return $t ? $t->{cmd} : sprintf('unknown_0x%08x', $id);
}

# One framed PDU decoded by Net::SMPP's own tables, as read_pdu() does.
sub decode_pdu {
    my ($octets) = @_;
    my ($len, $cmd, $status, $seq) = unpack('NNNN', $octets);
    my $pdu = { cmd => $cmd, status => $status, seq => $seq,
                data => substr($octets, HEADER_BYTES), raw => $octets, warnings => [] };
    my $tab = Net::SMPP::pdu_tab()->{$cmd};
    if ($tab) {
        $pdu->{known_pdu} = 1;
        local $SIG{__WARN__} = sub { my $w = shift; chomp $w; push @{$pdu->{warnings}}, $w };
        my $ok = eval {
            my $mandatory = $tab->{decode}->($pdu, $smpp);
            Net::SMPP::decode_optional_params($pdu, $mandatory)
                if $mandatory < length($pdu->{data});
            1;
        };
        push @{$pdu->{warnings}}, "Net::SMPP could not decode the body: $@" unless $ok;
    }
    return bless $pdu, 'Net::SMPP::PDU';
}

# The next complete PDU from the socket, or a failure at the deadline or on EOF.
sub next_pdu {
    my ($deadline, $what) = @_;
    while (1) {
        if (length($rbuf) >= 4) {
            my $len = unpack('N', $rbuf);
            if ($len < HEADER_BYTES || $len > MAX_PDU_BYTES) {
                my $head = unpack('H*', substr($rbuf, 0, HEADER_BYTES));
                $rbuf = '';
                fail('failed', "Cannot frame the SMSC's stream: command_length $len (header $head)");
            }
            return decode_pdu(substr($rbuf, 0, $len, '')) if length($rbuf) >= $len;
        }
        my $left = $deadline - time;
        fail('timeout', "Cannot $what: nothing within the timeout") if $left <= 0;
        next unless IO::Select->new($smpp)->can_read($left);
        my $n = sysread($smpp, $rbuf, 65536, length($rbuf));
        if (!defined $n) {
            next if $!{EINTR};
            fail('closed', "Cannot $what: read error: $!");
        }
        fail('closed', "Cannot $what: the SMSC closed the connection") if $n == 0;
    }
}

# Requests the SMSC may send while we wait: enquire_link is answered at once
# (Net::SMPP's default handler does the same); unbind is answered and ends the wait.
sub handle_unsolicited {
    my ($pdu, $what) = @_;
    if ($pdu->{cmd} == Net::SMPP::CMD_enquire_link) {
        $smpp->enquire_link_resp(seq => $pdu->{seq});
        return 1;
    }
    if ($pdu->{cmd} == Net::SMPP::CMD_unbind) {
        $smpp->unbind_resp(seq => $pdu->{seq});
        fail('closed', "Cannot $what: the SMSC sent unbind (answered with unbind_resp)");
    }
    return 0;
}

sub await_response {
    my ($request_id, $seq, $c) = @_;
    my $want = $request_id | RESPONSE_BIT;
    my $what = 'read ' . command_name($want) . " for sequence_number $seq";
    my $matches = sub {
        my $p = shift;
        return ($p->{cmd} == $want || $p->{cmd} == CMD_GENERIC_NACK) && $p->{seq} == $seq;
    };
    for my $i (0 .. $#queue) {
        return splice(@queue, $i, 1) if $matches->($queue[$i]);
    }
    my $deadline = time + timeout_ms($c) / 1000;
    while (1) {
        my $pdu = next_pdu($deadline, $what);
        return $pdu if $matches->($pdu);
        push @queue, $pdu unless handle_unsolicited($pdu, $what);
    }
}

# --- Results -------------------------------------------------------------

sub tlv_result {
    my ($pdu) = @_;
    my %tlvs;
    for my $k (grep { /\A\d+\z/ } keys %$pdu) {
        my $t = Net::SMPP::param_tab()->{$k};
        $tlvs{$t ? $t->{name} : sprintf('0x%04x', $k)} = unpack('H*', $pdu->{$k});
    }
    return \%tlvs;
}

sub pdu_result {
    my ($pdu) = @_;
    my %skip = map { $_ => 1 } qw(cmd status seq data raw warnings known_pdu reserved num_unsuccess);
    my %tlv_names;
    for my $k (grep { /\A\d+\z/ } keys %$pdu) {
        my $t = Net::SMPP::param_tab()->{$k};
        $tlv_names{$t->{name}} = 1 if $t;
    }
    my %r = (
        command => command_name($pdu->{cmd}),
        command_id => 0 + $pdu->{cmd},
        command_status => 0 + $pdu->{status},
        sequence_number => 0 + $pdu->{seq},
        tlvs => tlv_result($pdu),
    );
    for my $k (keys %$pdu) {
        next if $skip{$k} || $tlv_names{$k} || $k =~ /\A\d+\z/;
        my $v = $pdu->{$k};
        next if ref $v || !defined $v;
        if ($k eq 'short_message') { $r{short_message_hex} = unpack('H*', $v); }
        elsif ($INT_FIELD{$k})     { $r{$k} = 0 + $v; }
        else                       { $r{$k} = "$v"; }
    }
    if ($pdu->{cmd} == Net::SMPP::CMD_submit_multi_resp) {
        my @u;
        for my $i (0 .. ($pdu->{no_unsuccess} || 0) - 1) {
            push @u, { dest_addr_ton => 0 + $pdu->{dest_addr_ton}[$i],
                       dest_addr_npi => 0 + $pdu->{dest_addr_npi}[$i],
                       destination_addr => "$pdu->{destination_addr}[$i]",
                       error_status_code => 0 + $pdu->{error_status_code}[$i] };
        }
        $r{unsuccess_sme} = \@u;
    }
    if (defined $pdu->{receipted_message_id}) {
        ($r{receipted_message_id} = $pdu->{receipted_message_id}) =~ s/\x00\z//;
    }
    $r{message_state} = unpack('C', $pdu->{message_state})
        if defined $pdu->{message_state} && length($pdu->{message_state}) == 1
        && !exists $r{message_state};
    $r{warnings} = $pdu->{warnings} if @{$pdu->{warnings}};
    $r{body_hex} = unpack('H*', $pdu->{data});
    $r{warnings} = ['Net::SMPP does not know this command_id'] unless $pdu->{known_pdu};
    return \%r;
}

# --- Commands ------------------------------------------------------------

sub request {
    my ($c, $method, $id, @args) = @_;
    need_connection();
    my $seq = $smpp->$method(@args);
    return pdu_result(await_response($id, $seq, $c));
}

sub cmd_connect {
    my ($c) = @_;
    check_keys($c, qw(host port));
    close($smpp) if $smpp;
    ($smpp, $rbuf, @queue) = (undef, '');
    my $s = Net::SMPP->new_connect($c->{host} // '127.0.0.1', port => 0 + $c->{port},
        async => 1, smpp_version => 0x34, timeout => int(timeout_ms($c) / 1000) || 1)
        or fail('closed', "Cannot connect to $c->{host}:$c->{port}: " . ($@ || $!));
    setsockopt($s, IPPROTO_TCP, TCP_NODELAY, 1)
        or fail('failed', "Cannot set TCP_NODELAY: $!");
    $smpp = $s;
    return { connected => JSON::PP::true, local_port => 0 + $s->sockport };
}

sub cmd_bind {
    my ($c) = @_;
    check_keys($c, 'mode', @BIND_FIELDS);
    my %method = (transceiver => ['bind_transceiver', Net::SMPP::CMD_bind_transceiver],
                  transmitter => ['bind_transmitter', Net::SMPP::CMD_bind_transmitter],
                  receiver    => ['bind_receiver', Net::SMPP::CMD_bind_receiver]);
    my $m = $method{$c->{mode} // 'transceiver'}
        or fail('usage', "Cannot bind: mode \"$c->{mode}\" is not transceiver, transmitter or receiver");
    return request($c, $m->[0], $m->[1], field_args($c, @BIND_FIELDS));
}

sub cmd_submit_sm {
    my ($c) = @_;
    check_keys($c, @SUBMIT_FIELDS, qw(short_message_hex tlvs));
    fail('usage', 'Cannot submit_sm: destination_addr is missing') unless defined $c->{destination_addr};
    return request($c, 'submit_sm', Net::SMPP::CMD_submit_sm, field_args($c, @SUBMIT_FIELDS),
        short_message => from_hex('short_message_hex', $c->{short_message_hex}),
        tlv_args($c->{tlvs}));
}

sub cmd_data_sm {
    my ($c) = @_;
    check_keys($c, @DATA_SM_FIELDS, 'tlvs');
    fail('usage', 'Cannot data_sm: destination_addr is missing') unless defined $c->{destination_addr};
    return request($c, 'data_sm', Net::SMPP::CMD_data_sm, field_args($c, @DATA_SM_FIELDS),
        tlv_args($c->{tlvs}));
}

sub cmd_submit_multi {
    my ($c) = @_;
    check_keys($c, @MULTI_FIELDS, qw(dests short_message_hex tlvs));
    my $dests = $c->{dests};
    fail('usage', 'Cannot submit_multi: dests must be a non-empty array')
        unless ref $dests eq 'ARRAY' && @$dests;
    my (@flag, @ton, @npi, @addr);
    for my $d (@$dests) {
        my $is_list = defined $d->{dl_name};
        push @flag, $is_list ? Net::SMPP::MULTIDESTFLAG_dist_list : Net::SMPP::MULTIDESTFLAG_SME_Address;
        push @ton, 0 + ($d->{dest_addr_ton} // 0);
        push @npi, 0 + ($d->{dest_addr_npi} // 0);
        push @addr, octets('destination_addr', $is_list ? $d->{dl_name} : $d->{destination_addr} // '');
    }
    return request($c, 'submit_multi', Net::SMPP::CMD_submit_multi, field_args($c, @MULTI_FIELDS),
        dest_flag => \@flag, dest_addr_ton => \@ton, dest_addr_npi => \@npi,
        destination_addr => \@addr,
        short_message => from_hex('short_message_hex', $c->{short_message_hex}),
        tlv_args($c->{tlvs}));
}

sub cmd_query_sm {
    my ($c) = @_;
    check_keys($c, @QUERY_FIELDS);
    fail('usage', 'Cannot query_sm: message_id is missing') unless defined $c->{message_id};
    return request($c, 'query_sm', Net::SMPP::CMD_query_sm, field_args($c, @QUERY_FIELDS));
}

sub cmd_cancel_sm {
    my ($c) = @_;
    check_keys($c, @CANCEL_FIELDS);
    return request($c, 'cancel_sm', Net::SMPP::CMD_cancel_sm, field_args($c, @CANCEL_FIELDS));
}

sub cmd_replace_sm {
    my ($c) = @_;
    check_keys($c, @REPLACE_FIELDS, 'short_message_hex');
    fail('usage', 'Cannot replace_sm: message_id is missing') unless defined $c->{message_id};
    return request($c, 'replace_sm', Net::SMPP::CMD_replace_sm, field_args($c, @REPLACE_FIELDS),
        short_message => from_hex('short_message_hex', $c->{short_message_hex}));
}

sub cmd_enquire_link {
    my ($c) = @_;
    check_keys($c);
    return request($c, 'enquire_link', Net::SMPP::CMD_enquire_link, field_args($c));
}

sub cmd_unbind {
    my ($c) = @_;
    check_keys($c, 'keep_open');
    my $r = request($c, 'unbind', Net::SMPP::CMD_unbind, field_args($c));
    if (!$c->{keep_open}) {
        close($smpp);
        ($smpp, $rbuf, @queue) = (undef, '');
    }
    return $r;
}

sub cmd_wait_deliver {
    my ($c) = @_;
    check_keys($c, qw(resp_status resp_message_id no_resp));
    need_connection();
    my $what = 'read deliver_sm';
    my $pdu;
    for my $i (0 .. $#queue) {
        if ($queue[$i]{cmd} == Net::SMPP::CMD_deliver_sm) { $pdu = splice(@queue, $i, 1); last; }
    }
    my $deadline = time + timeout_ms($c) / 1000;
    while (!$pdu) {
        my $p = next_pdu($deadline, $what);
        if ($p->{cmd} == Net::SMPP::CMD_deliver_sm) { $pdu = $p; }
        elsif (!handle_unsolicited($p, $what)) { push @queue, $p; }
    }
    $smpp->deliver_sm_resp(message_id => $c->{resp_message_id} // '', seq => $pdu->{seq},
        status => 0 + ($c->{resp_status} // 0)) unless $c->{no_resp};
    return pdu_result($pdu);
}

sub cmd_read_pdu {
    my ($c) = @_;
    check_keys($c);
    need_connection();
    my $pdu = @queue ? shift(@queue) : next_pdu(time + timeout_ms($c) / 1000, 'read a PDU');
    my $r = pdu_result($pdu);
    $r->{hex} = unpack('H*', $pdu->{raw});
    return $r;
}

sub cmd_raw {
    my ($c) = @_;
    check_keys($c, 'hex');
    need_connection();
    my $octets = from_hex('hex', $c->{hex});
    my $n = syswrite($smpp, $octets);
    fail('closed', "Cannot write raw octets: $!") unless defined $n;
    return { written => 0 + $n };
}

sub cmd_disconnect {
    my ($c) = @_;
    check_keys($c);
    close($smpp) if $smpp;
    ($smpp, $rbuf, @queue) = (undef, '');
    return { disconnected => JSON::PP::true };
}

my %COMMANDS = (
    connect => \&cmd_connect, bind => \&cmd_bind, submit_sm => \&cmd_submit_sm,
    data_sm => \&cmd_data_sm, submit_multi => \&cmd_submit_multi, query_sm => \&cmd_query_sm,
    cancel_sm => \&cmd_cancel_sm, replace_sm => \&cmd_replace_sm,
    enquire_link => \&cmd_enquire_link, unbind => \&cmd_unbind,
    wait_deliver => \&cmd_wait_deliver, read_pdu => \&cmd_read_pdu, raw => \&cmd_raw,
    disconnect => \&cmd_disconnect,
);

# The first line tells the driver that Perl and Net::SMPP loaded.
print $json->encode({ ready => JSON::PP::true, net_smpp_version => "$Net::SMPP::VERSION" }), "\n";

while (my $line = <STDIN>) {
    next unless $line =~ /\S/;
    my $result = eval {
        my $c = eval { $json->decode($line) };
        if (!defined $c) {
            (my $why = $@) =~ s/ at \S+ line \d+\.\s*\z//;
            fail('usage', "Cannot parse the command as JSON: $why");
        }
        fail('usage', 'Cannot run: a command must be a JSON object') unless ref $c eq 'HASH';
        my $handler = $COMMANDS{$c->{cmd} // ''}
            or fail('usage', 'Cannot run: unknown cmd "' . ($c->{cmd} // '') . '"');
        $handler->($c);
    };
    if (!$result) {
        my $e = $@;
        if (ref $e eq 'HASH') {
            $result = { error => $e->{message}, kind => $e->{kind} };
        } else {
            $e = "$e";
            $e =~ s/\s+\z//;
            $result = { error => $e || 'Cannot run: unknown failure', kind => 'failed' };
        }
    }
    print $json->encode($result), "\n";
}
exit 0;
